#include "uxf/knowledge/settings.hpp"

namespace uxf::knowledge {
namespace {

using namespace settings;
using K = KnowledgeSettings;
using E = EmbeddingSettings;

constexpr std::string_view kProviders[] = {"local", "openai", "openai-compatible", "gemini"};

constexpr Entry<K> kTable[] = {
    Integer<&K::max_document_bytes>("UXFLOW_MAX_DOCUMENT_BYTES", 1, 1LL << 30,
                                    "Largest knowledge document, as uploaded (413 beyond; the request body limit "
                                    "UXFLOW_MAX_BODY_BYTES applies first)."),
    Integer<&K::max_documents_per_workspace>("UXFLOW_MAX_DOCUMENTS_PER_WORKSPACE", 1, 10'000'000,
                                             "Knowledge documents one workspace may hold."),
    Integer<&K::max_title_chars>("UXFLOW_MAX_DOCUMENT_TITLE_CHARS", 1, 10'000,
                                 "Longest document title, in characters."),
    Integer<&K::chunk_min_words>("UXFLOW_CHUNK_MIN_WORDS", 1, 100'000,
                                 "Words a chunk of a document gathers before it may be closed at a paragraph."),
    Integer<&K::chunk_max_words>("UXFLOW_CHUNK_MAX_WORDS", 2, 100'000, "Most words in one chunk."),
    Integer<&K::chunk_overlap_words>("UXFLOW_CHUNK_OVERLAP_WORDS", 0, 10'000,
                                     "Words carried from the end of a chunk into the next one of its section."),
    Integer<&K::max_search_k>("UXFLOW_MAX_SEARCH_K", 1, 1000, "Most hits one knowledge search may ask for."),
    Integer<&K::vector_index_bytes>("UXFLOW_VECTOR_INDEX_BYTES", 1 << 20, 1LL << 40,
                                    "Memory for the vector indexes of one process (the least recently searched "
                                    "workspace's index is dropped beyond it, and rebuilt from the database when "
                                    "searched again; 100,000 chunks of 100 dimensions take about 130 MB)."),
    Integer<&K::vector_exact_below>("UXFLOW_VECTOR_EXACT_BELOW", 1, 100'000'000,
                                    "Vectors below which a workspace is searched by exact scan; from there on an "
                                    "HNSW graph (hnswlib) is built on its own threads and answers."),
    Text<&K::vectors_file>("UXFLOW_VECTORS_FILE",
                           "Word vectors for search by meaning, made by `uxflow admin import-vectors` (without the "
                           "file, search is by words only).",
                           "<data dir>/wink-sg-100d-sif-1.vectors"),
    Choice<&K::embeddings, &E::provider>(
        "UXFLOW_EMBEDDINGS_PROVIDER", kProviders,
        "Who turns text into vectors for search by meaning: `local` (the word vectors file), `openai`, "
        "`openai-compatible` (Ollama, llama.cpp server, vLLM ...) or `gemini`. Vectors are kept per model: after a "
        "change, documents embedded before are found by their words until embedded again."),
    Text<&K::embeddings, &E::model>("UXFLOW_EMBEDDINGS_MODEL",
                                    "Embedding model of a remote provider: `text-embedding-3-small` (openai) and "
                                    "`gemini-embedding-001` (gemini) by default; required for openai-compatible."),
    Text<&K::embeddings, &E::base_url>("UXFLOW_EMBEDDINGS_BASE_URL",
                                       "The remote provider's address, with or without `/v1` (default "
                                       "`https://api.openai.com`, `https://generativelanguage.googleapis.com`); "
                                       "required for openai-compatible, e.g. `http://127.0.0.1:11434` for Ollama."),
    Text<&K::embeddings, &E::api_key>("UXFLOW_EMBEDDINGS_API_KEY",
                                      "API key of the remote provider (a secret; required for openai and gemini, "
                                      "optional for openai-compatible)."),
    Integer<&K::embeddings, &E::dimensions>("UXFLOW_EMBEDDINGS_DIMENSIONS", 0, 65'536,
                                            "Vector size asked of a remote provider (models with shortenable "
                                            "vectors: text-embedding-3, gemini-embedding-001); 0 = the model's own."),
    Integer<&K::embeddings, &E::batch>(
        "UXFLOW_EMBEDDINGS_BATCH", 1, 2048,
        "Texts per request to a remote provider (gemini takes at most 100: more are sent 100 at a time)."),
    Integer<&K::embeddings, &E::timeout_ms>("UXFLOW_EMBEDDINGS_TIMEOUT_MS", 100, 600'000,
                                            "Time limit of one request to a remote provider when embedding "
                                            "documents; failed requests (429, 5xx, network) are tried 4 times in "
                                            "all, with backoff."),
    Integer<&K::embeddings, &E::query_timeout_ms>(
        "UXFLOW_EMBEDDINGS_QUERY_TIMEOUT_MS", 100, 600'000,
        "Time limit of one request to a remote provider when embedding a search's query, which someone waits for; "
        "a failed request is tried twice in all, then the search goes on by words only (or answers 503 in "
        "mode=vector)."),
};

}  // namespace

std::span<const Entry<K>> KnowledgeSettingsTable() { return kTable; }

}  // namespace uxf::knowledge
