// OpenAI Chat Completions: POST {base}/chat/completions with `response_format: json_schema` (strict). The same
// client serves openai-compatible servers (Ollama, llama.cpp's server, vLLM), which may ignore the schema: their
// answer is still accepted only when it is a JSON object.
#pragma once
#include <memory>

#include "llm/remote_client.hpp"

namespace uxf::ai {

/// `compatible`: another server speaking the format, whose key is optional and which is sent `max_tokens`
/// (servers often do not know the newer `max_completion_tokens`).
std::unique_ptr<ModelClient> MakeOpenAiClient(ProviderSettings settings, ClientOptions options,
                                              http::HttpClientPool& pool, std::shared_ptr<CircuitBreaker> breaker,
                                              bool compatible);

}  // namespace uxf::ai
