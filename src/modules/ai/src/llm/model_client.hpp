// The LLM providers' chat APIs behind one call: instructions, a conversation, and the JSON schema the answer must
// follow (OpenAI Chat Completions `response_format: json_schema`, Anthropic Messages with a tool whose input schema
// it is, Gemini `generateContent` with `responseSchema`). Each client is a real client of its provider's documented
// wire format, over the platform's libcurl client, with retries (429/5xx/network, backoff with jitter) and a circuit
// breaker per provider.
#pragma once
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "generation_input.hpp"

namespace uxf::http {
class HttpClientPool;
}

namespace uxf::ai {

struct ProviderSettings;

struct ChatMessage {
    std::string role;  ///< "user" or "assistant"
    std::string text;
};

struct ModelRequest {
    std::string system;                 ///< our instructions
    std::vector<ChatMessage> messages;  ///< the data (delimited) and, when repairing, the previous answer
    std::string schema_name;            ///< "flow" or "flow_ops"
    std::string json_schema;            ///< JSON Schema (draft 2020-12 subset every provider accepts)
    std::size_t max_output_tokens = 8192;
};

struct ModelAnswer {
    std::string text;  ///< the JSON the schema describes, as the model wrote it
    std::string model;
    Usage usage;
};

/// Why a provider gave no usable answer. The message is safe to show a person (no key, no prompt).
class ProviderError : public std::runtime_error {
  public:
    enum class Kind {
        kUnavailable,    ///< network, 429 or 5xx after the retries, or the circuit is open: try again later
        kAuth,           ///< 401/403: the key is wrong or lacks access
        kRejected,       ///< 400/404/422: the request (model name, schema) was refused
        kRefused,        ///< the model declined (safety refusal, content filter)
        kMalformed,      ///< an answer that is not the JSON asked for (truncated, prose, wrong shape)
        kNotUnderstood,  ///< the offline planner cannot read the request (it names no change it knows)
    };
    ProviderError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    Kind kind() const { return kind_; }
    /// "provider_unavailable", "provider_auth", "provider_rejected", "provider_refused", "provider_malformed",
    /// "instruction_not_understood"
    std::string_view code() const;

  private:
    Kind kind_;
};

class ModelClient {
  public:
    virtual ~ModelClient() = default;
    /// One request (with its retries). Throws ProviderError.
    virtual ModelAnswer Complete(const ModelRequest& request) = 0;
};

}  // namespace uxf::ai
