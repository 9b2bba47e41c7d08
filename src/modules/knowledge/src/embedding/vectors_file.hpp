// The converted word-vectors file of the local embedding provider: written once by the importer, memory-mapped
// read-only at run time.
//
// Layout (little-endian; every section starts at a multiple of 8 bytes):
//
//   header, 64 bytes
//     0  char[8]   magic "UXFVECS1"
//     8  u32       format version (1)
//     12 u32       dims: components per vector (100)
//     16 u32       rows: English words
//     20 f32       a, the SIF parameter the stored weights were made with
//     24 u64       file size in bytes (a truncated copy is refused)
//     32 u32       CRC-32 (zlib's) of the whole file, computed with these 4 bytes zero
//     36 u32       number of sections
//     40 char[24]  model name, NUL-padded ("wink-sg-100d-sif-1")
//   section directory: per section {char tag[8] (NUL-padded), u64 offset, u64 size}
//   sections, found by tag:
//     "pc"       f32[dims]: the unit common component removed from every sentence vector
//     "rows"     rows x stride bytes, stride = 8 + dims rounded up to 4: {f32 scale, f32 weight, i8 q[dims]}; the
//                word's vector is scale * q, its SIF weight a / (a + p(w)); rows are in frequency order
//     "w.off"    u32[rows + 1]: where each word starts in "w.str" (the last is its size)
//     "w.str"    the words, UTF-8, lower-case, concatenated
//     "w.hash"   u32[2^k], k such that 2^k >= 2 * rows: open addressing with linear probing on FNV-1a 64 of the
//                word's bytes, slot & (2^k - 1); a slot holds row + 1, 0 when empty
//   and per language L ("de", "es", "fr"), a table from Snowball stem to English rows:
//     "L.off", "L.str", "L.hash"   the stems, as "w.off", "w.str", "w.hash"
//     "L.ent"    u32[stems + 1]: each stem's pairs are "L.pair"[ent[i], ent[i + 1])
//     "L.pair"   {u32 row, f32 coef}: the stem's vector is sum(coef * weight(row) * vector(row)), sum(coef) = 1
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace uxf::knowledge::embedding {

/// FNV-1a, 64 bits: the hash of the file's lookup tables (fixed here so that files do not depend on the library).
std::uint64_t Fnv1a(std::string_view s);

struct RowCoef {
    std::uint32_t row = 0;
    float coef = 0;
};

struct LanguageTable {
    std::string language;                    ///< "de", "es", "fr"
    std::vector<std::string> stems;          ///< distinct
    std::vector<std::vector<RowCoef>> rows;  ///< per stem, its English rows
};

/// What the importer writes. The vectors are quantised to int8 with a per-row scale by the writer.
struct VectorsFileContent {
    std::string model;
    std::uint32_t dims = 0;
    float sif_a = 0;
    std::vector<std::string> words;          ///< distinct, in frequency order
    std::vector<float> weights;              ///< SIF weight per word
    std::vector<float> vectors;              ///< words x dims
    std::vector<float> principal_component;  ///< dims, unit length
    std::vector<LanguageTable> languages;
};

/// Quantises one vector to int8 with the scale max|x| / 127 (0 for a zero vector).
float Quantise(std::span<const float> v, std::span<std::int8_t> q);

/// Writes `content` to `path` + ".tmp", then renames it into place. Throws std::runtime_error.
void WriteVectorsFile(const VectorsFileContent& content, const std::string& path);

/// A converted file, memory-mapped read-only, checked when opened (structure and checksum); immutable after.
class VectorsFile {
  public:
    /// nullptr with `why` set when the file is missing, unreadable or damaged.
    static std::unique_ptr<VectorsFile> Open(const std::string& path, std::string& why);
    ~VectorsFile();
    VectorsFile(const VectorsFile&) = delete;
    VectorsFile& operator=(const VectorsFile&) = delete;

    std::uint32_t dims() const { return dims_; }
    std::uint32_t rows() const { return rows_; }
    float sif_a() const { return sif_a_; }
    const std::string& model() const { return model_; }
    std::span<const float> principal_component() const { return {pc_, dims_}; }

    /// The row of an English word, if the file has it.
    std::optional<std::uint32_t> Find(std::string_view word) const;
    std::string_view Word(std::uint32_t row) const;
    float Weight(std::uint32_t row) const;
    /// The word's vector as stored (dequantised), without its weight.
    std::vector<float> Vector(std::uint32_t row) const;
    /// acc += coef * weight(row) * vector(row).
    void AddWeighted(std::uint32_t row, float coef, float* acc) const;

    /// Whether the file has a table for `language`, and the English rows of a stem in it (empty when absent).
    bool HasLanguage(std::string_view language) const;
    std::span<const RowCoef> Translations(std::string_view language, std::string_view stem) const;
    /// Number of stems in a language's table (0 when absent).
    std::size_t Stems(std::string_view language) const;

    struct Strings {  // a stored string table
        const std::uint32_t* offsets = nullptr;
        const char* bytes = nullptr;
        const std::uint32_t* slots = nullptr;
        std::uint32_t count = 0;
        std::uint64_t mask = 0;
        std::optional<std::uint32_t> Find(std::string_view key) const;
        std::string_view At(std::uint32_t i) const { return {bytes + offsets[i], offsets[i + 1] - offsets[i]}; }
    };
    struct Language {
        std::string code;
        Strings stems;
        const std::uint32_t* entries = nullptr;
        const RowCoef* pairs = nullptr;
    };

  private:
    VectorsFile() = default;
    const Language* FindLanguage(std::string_view code) const;

    void* map_ = nullptr;
    std::size_t size_ = 0;
    std::uint32_t dims_ = 0;
    std::uint32_t rows_ = 0;
    std::size_t stride_ = 0;
    float sif_a_ = 0;
    std::string model_;
    const float* pc_ = nullptr;
    const unsigned char* rows_data_ = nullptr;
    Strings words_;
    std::vector<Language> languages_;
};

}  // namespace uxf::knowledge::embedding
