#pragma once
#include <cstddef>
#include <span>
#include <string>

#include "uxf/core/settings.hpp"

namespace uxf::knowledge {

/// Which embedding provider turns text into vectors for search by meaning (embeddings.hpp, OpenEmbeddings).
struct EmbeddingSettings {
    std::string provider = "local";        ///< local | openai | openai-compatible | gemini
    std::string model;                     ///< "" = the provider's default (required for openai-compatible)
    std::string base_url;                  ///< "" = the provider's own (required for openai-compatible)
    std::string api_key;                   ///< a secret: never logged
    std::size_t dimensions = 0;            ///< asked of the provider; 0 = the model's own size, learnt from its answer
    std::size_t batch = 96;                ///< texts per request (gemini takes at most 100)
    std::size_t timeout_ms = 30'000;       ///< each try of a request (retries get the same again)
    std::size_t query_timeout_ms = 5'000;  ///< each try of a search's request (EmbedQueries)
};

/// Knowledge limits and chunking; `app/` fills them from the UXFLOW_* variables of KnowledgeSettingsTable().
struct KnowledgeSettings {
    std::size_t max_document_bytes = 10u << 20;      ///< one document as uploaded (413 beyond)
    std::size_t max_documents_per_workspace = 1000;  ///< 422 limit_exceeded beyond
    std::size_t max_title_chars = 200;
    std::size_t chunk_min_words = 200;
    std::size_t chunk_max_words = 400;
    std::size_t chunk_overlap_words = 40;
    std::size_t max_search_k = 50;                            ///< `k` above it answers 400
    std::size_t vector_index_bytes = std::size_t{512} << 20;  ///< in-memory vector indexes of one process
    std::size_t vector_exact_below = 4096;  ///< a workspace with fewer vectors is searched by exact scan
    std::string vectors_file;  ///< the local word vectors (`uxflow admin import-vectors`); app derives the default
    EmbeddingSettings embeddings;
};

std::span<const settings::Entry<KnowledgeSettings>> KnowledgeSettingsTable();

}  // namespace uxf::knowledge
