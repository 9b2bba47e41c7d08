// Anthropic Messages: POST {base}/v1/messages with one tool whose input schema is the answer's schema, and
// `tool_choice` forcing it; the answer is that tool call's input.
#pragma once
#include <memory>

#include "llm/remote_client.hpp"

namespace uxf::ai {

std::unique_ptr<ModelClient> MakeAnthropicClient(ProviderSettings settings, ClientOptions options,
                                                 http::HttpClientPool& pool, std::shared_ptr<CircuitBreaker> breaker);

}  // namespace uxf::ai
