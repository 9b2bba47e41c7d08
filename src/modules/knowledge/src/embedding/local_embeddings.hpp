// The local embedding provider: SIF sentence vectors (sif.hpp) over a converted vectors file (vectors_file.hpp).
#pragma once
#include <memory>
#include <span>
#include <string_view>

#include "uxf/knowledge/embeddings.hpp"
#include "vectors_file.hpp"

namespace uxf::knowledge::embedding {

class LocalEmbeddings final : public EmbeddingProvider {
  public:
    explicit LocalEmbeddings(std::unique_ptr<VectorsFile> file) : file_(std::move(file)) {}

    std::string provider() const override { return "local"; }
    std::string model() const override { return file_->model(); }
    std::size_t dimensions() const override { return file_->dims(); }
    std::vector<std::vector<float>> Embed(std::span<const std::string> texts,
                                          std::span<const std::string> languages) override;
    /// A query of unknown language ("") is read as each of the four languages and the readings summed (a reading
    /// that knows none of its words is zero), then normalised; others as Embed.
    std::vector<std::vector<float>> EmbedQueries(std::span<const std::string> texts,
                                                 std::span<const std::string> languages) override;

    /// Adds the SIF-weighted vectors of the words of `text` to `acc` (dims floats): the sentence vector before
    /// the common component is removed. Returns how many words were known. An English word (any language other
    /// than "de", "es", "fr") is looked up as it is; a word of those three by its Snowball stem in the language's
    /// table, and failing that as it is, among the English words (names, loanwords). A German word found neither
    /// way is tried as a compound of two words the table knows (Compound).
    std::size_t Accumulate(std::string_view text, std::string_view language, std::span<float> acc) const;

    /// A German compound the dictionary lacks, as its two parts: "passwortänderung" -> passwort + änderung. Tries
    /// (for words of up to 48 bytes) every split into a head and a tail of at least 3 bytes each whose stems are
    /// both in the German table (the head also without a linking "s": "versicherungs|nummer"), and takes the most
    /// even one (the longest shorter part; on a tie, the longer tail, which carries a German compound's meaning).
    /// Adds both parts' vectors to `acc` and returns true, or returns false when no split has two known parts.
    bool Compound(std::string_view word, std::span<float> acc) const;

    const VectorsFile& file() const { return *file_; }

  private:
    std::unique_ptr<VectorsFile> file_;
};

}  // namespace uxf::knowledge::embedding
