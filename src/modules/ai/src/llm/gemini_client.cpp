// The wire format: https://ai.google.dev/api/generate-content. Errors are {"error": {"code", "message",
// "status"}}; a wrong key answers 400 with the reason API_KEY_INVALID.
#include "llm/gemini_client.hpp"

#include <stdexcept>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "llm/gemini_schema.hpp"
#include "uxf/platform/json_text.hpp"

namespace uxf::ai {
namespace {

namespace json = boost::json;
using Kind = ProviderError::Kind;
using llm::CountMember;
using llm::Endpoint;
using llm::JsonObjectText;
using llm::Member;
using llm::StringMember;

json::object Text(std::string_view text) { return json::object{{"parts", json::array{json::object{{"text", text}}}}}; }

bool IsRefusal(std::string_view reason) {
    return reason == "SAFETY" || reason == "RECITATION" || reason == "BLOCKLIST" || reason == "PROHIBITED_CONTENT" ||
           reason == "SPII" || reason == "IMAGE_SAFETY";
}

class GeminiClient final : public RemoteClient {
  public:
    GeminiClient(ProviderSettings settings, ClientOptions options, http::HttpClientPool& pool,
                 std::shared_ptr<CircuitBreaker> breaker)
        : RemoteClient("gemini", std::move(settings), std::move(options), pool, std::move(breaker)) {}

  protected:
    http::ClientRequest Request(const ModelRequest& request, std::size_t max_tokens) const override {
        boost::system::error_code ec;
        auto schema = json_text::Parse(ToGeminiSchema(request.json_schema), ec);
        json::object body;
        body["systemInstruction"] = Text(request.system);
        auto& contents = body["contents"].emplace_array();
        for (const auto& m : request.messages) {
            auto content = Text(m.text);
            content["role"] = m.role == "assistant" ? "model" : "user";
            contents.push_back(std::move(content));
        }
        json::object config{{"responseMimeType", "application/json"}, {"responseSchema", std::move(schema)}};
        if (max_tokens) config["maxOutputTokens"] = max_tokens;
        body["generationConfig"] = std::move(config);
        http::ClientRequest r;
        r.method = "POST";
        r.url = Endpoint(settings().base_url, "/v1beta", fmt::format("/models/{}:generateContent", settings().model));
        r.headers = {{"Content-Type", "application/json"},
                     {"Accept", "application/json"},
                     {"x-goog-api-key", settings().api_key}};
        r.body = json_text::Write(body);
        return r;
    }

    ModelAnswer Parse(const json::value& body, const ModelRequest&) const override {
        if (const auto* feedback = Member(body, "promptFeedback")) {
            auto blocked = StringMember(*feedback, "blockReason");
            if (!blocked.empty()) throw Fail(Kind::kRefused, fmt::format("the request was blocked ({})", blocked));
        }
        const auto* candidates = Member(body, "candidates");
        if (!candidates || !candidates->is_array() || candidates->get_array().empty())
            throw Fail(Kind::kMalformed, "an answer without candidates");
        const auto& candidate = candidates->get_array()[0];
        auto finish = StringMember(candidate, "finishReason");
        if (finish == "MAX_TOKENS") throw Fail(Kind::kMalformed, "the answer was cut off at the output token limit");
        if (IsRefusal(finish)) throw Fail(Kind::kRefused, fmt::format("the answer was withheld ({})", finish));
        std::string text;
        const auto* content = Member(candidate, "content");
        const auto* parts = content ? Member(*content, "parts") : nullptr;
        if (parts && parts->is_array())
            for (const auto& part : parts->get_array()) {
                const auto* thought = Member(part, "thought");
                if (thought && thought->is_bool() && thought->get_bool()) continue;  // a thinking model's notes
                text += StringMember(part, "text");
            }
        auto object = JsonObjectText(text);
        if (!object) throw Fail(Kind::kMalformed, "the answer is not a JSON object");
        return llm::AnswerOf(body, std::move(*object),
                             {"modelVersion", "usageMetadata", "promptTokenCount", "candidatesTokenCount"});
    }

    Kind KindOf(const http::ClientResponse& response) const override {
        if (response.status == 400 && response.body.find("API_KEY_INVALID") != std::string::npos) return Kind::kAuth;
        return RemoteClient::KindOf(response);
    }
};

}  // namespace

std::unique_ptr<ModelClient> MakeGeminiClient(ProviderSettings settings, ClientOptions options,
                                              http::HttpClientPool& pool, std::shared_ptr<CircuitBreaker> breaker) {
    if (settings.base_url.empty()) settings.base_url = "https://generativelanguage.googleapis.com/v1beta";
    if (settings.model.empty()) settings.model = "gemini-1.5-flash";
    if (settings.model.starts_with("models/")) settings.model.erase(0, 7);
    if (settings.api_key.empty()) throw std::invalid_argument("gemini needs an API key");
    return std::make_unique<GeminiClient>(std::move(settings), std::move(options), pool, std::move(breaker));
}

}  // namespace uxf::ai
