// The provider the settings choose, and the checks that make a bad choice fail at start.
#include <stdexcept>

#include "remote_embeddings.hpp"

namespace uxf::knowledge {

void CheckEmbeddingSettings(const EmbeddingSettings& s) {
    const auto& p = s.provider;
    if (p == "local") return;
    if (p != "openai" && p != "openai-compatible" && p != "gemini")
        throw std::invalid_argument(
            "UXFLOW_EMBEDDINGS_PROVIDER must be one of local, openai, openai-compatible, gemini");
    if (p != "openai-compatible" && s.api_key.empty())
        throw std::invalid_argument("UXFLOW_EMBEDDINGS_API_KEY is required with UXFLOW_EMBEDDINGS_PROVIDER=" + p);
    if (p == "openai-compatible" && s.base_url.empty())
        throw std::invalid_argument(
            "UXFLOW_EMBEDDINGS_BASE_URL is required with UXFLOW_EMBEDDINGS_PROVIDER=openai-compatible (e.g. "
            "http://127.0.0.1:11434 for Ollama)");
    if (p == "openai-compatible" && s.model.empty())
        throw std::invalid_argument(
            "UXFLOW_EMBEDDINGS_MODEL is required with UXFLOW_EMBEDDINGS_PROVIDER=openai-compatible");
    if (!s.base_url.empty() && !s.base_url.starts_with("http://") && !s.base_url.starts_with("https://"))
        throw std::invalid_argument("UXFLOW_EMBEDDINGS_BASE_URL must start with http:// or https://");
}

std::unique_ptr<EmbeddingProvider> OpenEmbeddings(const KnowledgeSettings& settings, std::string& why) {
    const auto& e = settings.embeddings;
    CheckEmbeddingSettings(e);
    if (e.provider == "local") return OpenLocalEmbeddings(settings.vectors_file, why);
    if (e.provider == "gemini") return embedding::MakeGeminiEmbeddings(e);
    return embedding::MakeOpenAiEmbeddings(e);
}

}  // namespace uxf::knowledge
