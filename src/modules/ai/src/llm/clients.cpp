#include "llm/clients.hpp"

#include <stdexcept>
#include <string>

#include "llm/anthropic_client.hpp"
#include "llm/gemini_client.hpp"
#include "llm/openai_client.hpp"

namespace uxf::ai {

std::unique_ptr<ModelClient> MakeModelClient(std::string_view provider, const ProviderSettings& settings,
                                             const ClientOptions& options, http::HttpClientPool& pool,
                                             std::shared_ptr<CircuitBreaker> breaker) {
    if (provider == "openai" || provider == "openai-compatible")
        return MakeOpenAiClient(settings, options, pool, std::move(breaker), provider == "openai-compatible");
    if (provider == "anthropic") return MakeAnthropicClient(settings, options, pool, std::move(breaker));
    if (provider == "gemini") return MakeGeminiClient(settings, options, pool, std::move(breaker));
    throw std::invalid_argument("no LLM client for the provider \"" + std::string(provider) + "\"");
}

}  // namespace uxf::ai
