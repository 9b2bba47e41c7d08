// The wire format: https://platform.openai.com/docs/api-reference/chat/create. A structured answer arrives as
// `choices[0].message.content` (JSON text), or as `message.refusal` when the model declined.
#include "llm/openai_client.hpp"

#include <stdexcept>

#include <fmt/format.h>
#include <boost/json.hpp>

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
using uxf::Excerpt;

class OpenAiClient final : public RemoteClient {
  public:
    OpenAiClient(ProviderSettings settings, ClientOptions options, http::HttpClientPool& pool,
                 std::shared_ptr<CircuitBreaker> breaker, bool compatible)
        : RemoteClient(compatible ? "openai-compatible" : "openai", std::move(settings), std::move(options), pool,
                       std::move(breaker)),
          compatible_(compatible) {}

  protected:
    http::ClientRequest Request(const ModelRequest& request, std::size_t max_tokens) const override {
        json::object body;
        body["model"] = settings().model;
        auto& messages = body["messages"].emplace_array();
        messages.push_back(json::object{{"role", "system"}, {"content", request.system}});
        for (const auto& m : request.messages) messages.push_back(json::object{{"role", m.role}, {"content", m.text}});
        boost::system::error_code ec;
        auto schema = json_text::Parse(request.json_schema, ec);
        if (ec) throw std::invalid_argument("the request's JSON schema is not JSON");
        json::object format{{"name", request.schema_name}, {"schema", std::move(schema)}, {"strict", true}};
        body["response_format"] = json::object{{"type", "json_schema"}, {"json_schema", std::move(format)}};
        if (max_tokens) body[compatible_ ? "max_tokens" : "max_completion_tokens"] = max_tokens;
        http::ClientRequest r;
        r.method = "POST";
        r.url = Endpoint(settings().base_url, "/v1", "/chat/completions");
        r.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
        if (!settings().api_key.empty()) r.headers.emplace_back("Authorization", "Bearer " + settings().api_key);
        r.body = json_text::Write(body);
        return r;
    }

    ModelAnswer Parse(const json::value& body, const ModelRequest&) const override {
        const auto* choices = Member(body, "choices");
        if (!choices || !choices->is_array() || choices->get_array().empty())
            throw Fail(Kind::kMalformed, "an answer without choices");
        const auto& choice = choices->get_array()[0];
        const auto* message = Member(choice, "message");
        if (!message) throw Fail(Kind::kMalformed, "an answer without a message");
        auto refusal = StringMember(*message, "refusal");
        if (!refusal.empty()) throw Fail(Kind::kRefused, "the model declined: " + Excerpt(refusal, 200));
        auto finish = StringMember(choice, "finish_reason");
        if (finish == "length") throw Fail(Kind::kMalformed, "the answer was cut off at the output token limit");
        if (finish == "content_filter") throw Fail(Kind::kRefused, "the provider's content filter withheld the answer");
        auto text = JsonObjectText(StringMember(*message, "content"));
        if (!text) throw Fail(Kind::kMalformed, "the answer is not a JSON object");
        return llm::AnswerOf(body, std::move(*text), {"model", "usage", "prompt_tokens", "completion_tokens"});
    }

    // A 429 for a quota that is used up (not a rate) goes through only when someone pays: no retry.
    bool Retryable(const http::ClientResponse& response) const override {
        return RemoteClient::Retryable(response) &&
               !(response.status == 429 && response.body.find("insufficient_quota") != std::string::npos);
    }

  private:
    bool compatible_;
};

}  // namespace

std::unique_ptr<ModelClient> MakeOpenAiClient(ProviderSettings settings, ClientOptions options,
                                              http::HttpClientPool& pool, std::shared_ptr<CircuitBreaker> breaker,
                                              bool compatible) {
    if (!compatible) {
        if (settings.base_url.empty()) settings.base_url = "https://api.openai.com/v1";
        if (settings.model.empty()) settings.model = "gpt-4o-mini";
        if (settings.api_key.empty()) throw std::invalid_argument("openai needs an API key");
    } else if (settings.base_url.empty() || settings.model.empty()) {
        throw std::invalid_argument("openai-compatible needs a base URL and a model");
    }
    return std::make_unique<OpenAiClient>(std::move(settings), std::move(options), pool, std::move(breaker),
                                          compatible);
}

}  // namespace uxf::ai
