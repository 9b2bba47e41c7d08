// The wire format: https://docs.anthropic.com/en/api/messages. Errors are {"type": "error", "error": {"type",
// "message"}}; 429 rate_limit_error and 529 overloaded_error go through on another try.
#include "llm/anthropic_client.hpp"

#include <stdexcept>

#include <boost/json.hpp>

#include "uxf/platform/json_text.hpp"

namespace uxf::ai {
namespace {

namespace json = boost::json;
using Kind = ProviderError::Kind;
using llm::CountMember;
using llm::Endpoint;
using llm::Member;
using llm::StringMember;

constexpr const char* kApiVersion = "2023-06-01";

class AnthropicClient final : public RemoteClient {
  public:
    AnthropicClient(ProviderSettings settings, ClientOptions options, http::HttpClientPool& pool,
                    std::shared_ptr<CircuitBreaker> breaker)
        : RemoteClient("anthropic", std::move(settings), std::move(options), pool, std::move(breaker)) {}

  protected:
    http::ClientRequest Request(const ModelRequest& request, std::size_t max_tokens) const override {
        boost::system::error_code ec;
        auto schema = json_text::Parse(request.json_schema, ec);
        if (ec) throw std::invalid_argument("the request's JSON schema is not JSON");
        json::object body;
        body["model"] = settings().model;
        body["max_tokens"] = max_tokens ? max_tokens : 8192;  // required by the API
        body["system"] = request.system;
        auto& messages = body["messages"].emplace_array();
        for (const auto& m : request.messages) messages.push_back(json::object{{"role", m.role}, {"content", m.text}});
        json::object tool{{"name", request.schema_name},
                          {"description", "Record the answer. Its input is the whole answer."},
                          {"input_schema", std::move(schema)}};
        body["tools"] = json::array{std::move(tool)};
        body["tool_choice"] = json::object{{"type", "tool"}, {"name", request.schema_name}};
        http::ClientRequest r;
        r.method = "POST";
        r.url = Endpoint(settings().base_url, "", settings().base_url.ends_with("/v1") ? "/messages" : "/v1/messages");
        r.headers = {{"Content-Type", "application/json"},
                     {"Accept", "application/json"},
                     {"x-api-key", settings().api_key},
                     {"anthropic-version", kApiVersion}};
        r.body = json_text::Write(body);
        return r;
    }

    ModelAnswer Parse(const json::value& body, const ModelRequest& request) const override {
        auto stop = StringMember(body, "stop_reason");
        if (stop == "max_tokens") throw Fail(Kind::kMalformed, "the answer was cut off at the output token limit");
        if (stop == "refusal") throw Fail(Kind::kRefused, "the model declined to answer");
        const auto* content = Member(body, "content");
        const json::value* input = nullptr;
        if (content && content->is_array())
            for (const auto& block : content->get_array())
                if (StringMember(block, "type") == "tool_use" && StringMember(block, "name") == request.schema_name) {
                    input = Member(block, "input");
                    break;
                }
        if (!input) throw Fail(Kind::kMalformed, "the answer does not use the " + request.schema_name + " tool");
        if (!input->is_object()) throw Fail(Kind::kMalformed, "the tool's input is not a JSON object");
        return llm::AnswerOf(body, json_text::Write(*input), {"model", "usage", "input_tokens", "output_tokens"});
    }
};

}  // namespace

std::unique_ptr<ModelClient> MakeAnthropicClient(ProviderSettings settings, ClientOptions options,
                                                 http::HttpClientPool& pool, std::shared_ptr<CircuitBreaker> breaker) {
    if (settings.base_url.empty()) settings.base_url = "https://api.anthropic.com";
    while (settings.base_url.ends_with('/')) settings.base_url.pop_back();
    if (settings.model.empty()) settings.model = "claude-3-5-haiku-latest";
    if (settings.api_key.empty()) throw std::invalid_argument("anthropic needs an API key");
    return std::make_unique<AnthropicClient>(std::move(settings), std::move(options), pool, std::move(breaker));
}

}  // namespace uxf::ai
