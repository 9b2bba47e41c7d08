// The LLM provider clients behind ModelClient, chosen by the provider's name: OpenAI Chat Completions (also spoken
// by openai-compatible servers: Ollama, llama.cpp's server, vLLM), Anthropic Messages and Gemini generateContent.
#pragma once
#include <cstddef>
#include <memory>
#include <string_view>

#include "llm/circuit_breaker.hpp"
#include "llm/model_client.hpp"
#include "uxf/platform/http_client.hpp"

namespace uxf::ai {

/// How a client sends: each try's timeout, the tries, the longest answer, the backoff between tries.
struct ClientOptions {
    std::size_t timeout_ms = 60'000;       ///< each try (AiSettings::timeout_ms)
    std::size_t max_attempts = 3;          ///< tries in all, on 429, 5xx and network failures
    std::size_t max_output_tokens = 8192;  ///< caps ModelRequest::max_output_tokens (0: no cap)
    long base_delay_ms = 500;              ///< the first backoff's ceiling, doubling (full jitter)
    long max_delay_ms = 20'000;            ///< the longest wait, `Retry-After` included
    http::RetryHooks hooks;                ///< tests record the waits instead of sleeping
};

/// A client of `provider` ("openai", "anthropic", "gemini" or "openai-compatible") with `settings` (an empty model
/// or base URL: the provider's own). `pool` and the breaker's clock must outlive it; `breaker` may be null (no
/// circuit) and is shared by every client of one provider. Throws std::invalid_argument for another provider, an
/// openai-compatible one without base URL or model, or a provider other than openai-compatible without a key.
std::unique_ptr<ModelClient> MakeModelClient(std::string_view provider, const ProviderSettings& settings,
                                             const ClientOptions& options, http::HttpClientPool& pool,
                                             std::shared_ptr<CircuitBreaker> breaker);

}  // namespace uxf::ai
