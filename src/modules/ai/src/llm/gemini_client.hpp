// Gemini generateContent: POST {base}/models/{model}:generateContent with the key in `x-goog-api-key` (never in
// the URL), the answer's schema as `generationConfig.responseSchema` (Gemini's OpenAPI subset).
#pragma once
#include <memory>

#include "llm/remote_client.hpp"

namespace uxf::ai {

std::unique_ptr<ModelClient> MakeGeminiClient(ProviderSettings settings, ClientOptions options,
                                              http::HttpClientPool& pool, std::shared_ptr<CircuitBreaker> breaker);

}  // namespace uxf::ai
