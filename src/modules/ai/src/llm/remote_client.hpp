// What the three LLM clients share: the circuit breaker, retries with backoff, the mapping of HTTP statuses to
// ProviderError kinds and error messages safe to show a person; each wire format is in its own file.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "llm/clients.hpp"
#include "uxf/ai/settings.hpp"
#include "uxf/core/text.hpp"

namespace boost::json {
class value;
class object;
}  // namespace boost::json

namespace uxf::ai {

class RemoteClient : public ModelClient {
  public:
    /// `provider` names the client in messages and logs ("openai").
    RemoteClient(std::string provider, ProviderSettings settings, ClientOptions options, http::HttpClientPool& pool,
                 std::shared_ptr<CircuitBreaker> breaker);
    /// Refused at once while the circuit is open; otherwise one request with its retries.
    ModelAnswer Complete(const ModelRequest& request) final;

  protected:
    /// The request's URL, headers and body (the timeout is set by Complete); std::invalid_argument when the
    /// ModelRequest cannot be sent (a schema that is not JSON).
    virtual http::ClientRequest Request(const ModelRequest& request, std::size_t max_output_tokens) const = 0;
    /// The answer of a 2xx JSON body; throws ProviderError (made with Fail) when it holds none.
    virtual ModelAnswer Parse(const boost::json::value& body, const ModelRequest& request) const = 0;
    /// The provider's own message in an error body (a short excerpt), or "".
    virtual std::string ErrorMessage(const boost::json::value& body) const;
    /// The kind of a non-2xx answer that is not retried or whose retries ran out.
    virtual ProviderError::Kind KindOf(const http::ClientResponse& response) const;
    /// Whether an error answer may go through on another try (default: 429 and 5xx).
    virtual bool Retryable(const http::ClientResponse& response) const;

    const std::string& provider() const { return provider_; }
    const ProviderSettings& settings() const { return settings_; }
    /// A ProviderError whose message starts with the provider's name and never holds the key.
    ProviderError Fail(ProviderError::Kind kind, std::string_view what) const;

  private:
    ModelAnswer Send(const http::ClientRequest& http_request, const ModelRequest& request);

    std::string provider_;
    ProviderSettings settings_;
    ClientOptions options_;
    http::HttpClientPool& pool_;
    std::shared_ptr<CircuitBreaker> breaker_;
};

// Helpers of the wire formats, in a namespace of their own: short names that other parts of the module may use too.
namespace llm {

/// The model's text when it is a JSON object, written bare or inside one ```json fence (the fence removed);
/// nullopt otherwise. Nothing more lenient: prose around the object, or an array, is not an answer.
std::optional<std::string> JsonObjectText(std::string_view text);

/// `base` without trailing slashes, then `version` when the base has no path of its own
/// ("http://localhost:11434" + "/v1"), then `suffix`.
std::string Endpoint(std::string_view base, std::string_view version, std::string_view suffix);

/// The member `key` of `v` when `v` is an object holding it, else nullptr.
const boost::json::value* Member(const boost::json::value& v, std::string_view key);
/// A member that is a string, else "".
std::string StringMember(const boost::json::value& v, std::string_view key);
/// A member that is a non-negative integer, else 0.
std::int64_t CountMember(const boost::json::value& v, std::string_view key);

/// Where a provider's answer names its model and token counts: `{model_key: "...", usage_key: {input_key: n,
/// output_key: n}}`.
struct AnswerKeys {
    std::string_view model, usage, input, output;
};
/// The answer `text` with the model and the token usage the response `body` reports under `keys`.
ModelAnswer AnswerOf(const boost::json::value& body, std::string text, const AnswerKeys& keys);

}  // namespace llm
}  // namespace uxf::ai
