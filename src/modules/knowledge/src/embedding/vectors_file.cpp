#include "vectors_file.hpp"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

namespace uxf::knowledge::embedding {

static_assert(std::endian::native == std::endian::little, "the vectors file is little-endian and read in place");
static_assert(sizeof(RowCoef) == 8 && alignof(RowCoef) == 4);

namespace {

constexpr char kMagic[8] = {'U', 'X', 'F', 'V', 'E', 'C', 'S', '1'};
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kHeaderSize = 64;
constexpr std::size_t kCrcAt = 32;
constexpr std::size_t kModelAt = 40;
constexpr std::size_t kModelSize = 24;
constexpr std::size_t kDirEntrySize = 24;
constexpr std::size_t kTagSize = 8;
constexpr std::uint32_t kMaxSections = 256;
constexpr std::uint32_t kMaxDims = 4096;
constexpr std::size_t kIoChunk = 64 * 1024;

std::size_t Stride(std::uint32_t dims) { return 8 + (static_cast<std::size_t>(dims) + 3) / 4 * 4; }
std::size_t Align8(std::size_t n) { return (n + 7) / 8 * 8; }

template <class T>
void Put(std::string& out, std::size_t at, T v) {
    std::memcpy(out.data() + at, &v, sizeof v);
}

template <class T>
T Get(const unsigned char* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

template <class T>
std::string Bytes(const std::vector<T>& v) {
    std::string s(v.size() * sizeof(T), '\0');
    if (!v.empty()) std::memcpy(s.data(), v.data(), s.size());
    return s;
}

struct Section {
    std::string tag;
    std::string bytes;
};

// A string table's three sections: offsets, bytes, hash slots.
void AddStrings(std::vector<Section>& out, const std::string& prefix, const std::vector<std::string>& keys) {
    if (keys.size() >= 0x7FFFFFFF) throw std::runtime_error("too many strings for a vectors file");
    std::vector<std::uint32_t> offsets{0};
    std::string bytes;
    for (const auto& k : keys) {
        bytes += k;
        if (bytes.size() > 0xFFFFFFFFu) throw std::runtime_error("string table over 4 GB");
        offsets.push_back(static_cast<std::uint32_t>(bytes.size()));
    }
    std::size_t slots = 1;
    while (slots < 2 * keys.size() || slots <= keys.size()) slots *= 2;
    std::vector<std::uint32_t> table(slots, 0);
    const std::uint64_t mask = slots - 1;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        std::uint64_t h = Fnv1a(keys[i]) & mask;
        while (table[h] != 0) {
            if (keys[table[h] - 1] == keys[i]) throw std::runtime_error("duplicate key in a string table: " + keys[i]);
            h = (h + 1) & mask;
        }
        table[h] = static_cast<std::uint32_t>(i + 1);
    }
    out.push_back({prefix + ".off", Bytes(offsets)});
    out.push_back({prefix + ".str", std::move(bytes)});
    out.push_back({prefix + ".hash", Bytes(table)});
}

// Why a file is refused; caught in Open.
struct Damaged {
    std::string why;
};

bool Finite(float f) { return std::isfinite(f); }

}  // namespace

std::uint64_t Fnv1a(std::string_view s) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : s) {
        h ^= c;
        h *= 0x100000001b3ull;
    }
    return h;
}

float Quantise(std::span<const float> v, std::span<std::int8_t> q) {
    float max = 0;
    for (float x : v) max = std::max(max, std::fabs(x));
    float scale = max / 127.0f;
    for (std::size_t i = 0; i < v.size(); ++i)
        q[i] = scale > 0 ? static_cast<std::int8_t>(std::clamp(std::lround(v[i] / scale), -127l, 127l)) : 0;
    return scale;
}

void WriteVectorsFile(const VectorsFileContent& c, const std::string& path) {
    const std::size_t n = c.words.size();
    if (c.dims == 0 || c.dims > kMaxDims) throw std::runtime_error("vectors file: bad dimensions");
    if (c.weights.size() != n || c.vectors.size() != n * c.dims || c.principal_component.size() != c.dims)
        throw std::runtime_error("vectors file: inconsistent content");
    if (c.model.empty() || c.model.size() > kModelSize) throw std::runtime_error("vectors file: bad model name");

    std::vector<Section> sections;
    sections.push_back({"pc", Bytes(c.principal_component)});
    const std::size_t stride = Stride(c.dims);
    std::string rows(n * stride, '\0');
    for (std::size_t r = 0; r < n; ++r) {
        auto* q = reinterpret_cast<std::int8_t*>(rows.data() + r * stride + 8);
        float scale = Quantise({c.vectors.data() + r * c.dims, c.dims}, {q, c.dims});
        Put(rows, r * stride, scale);
        Put(rows, r * stride + 4, c.weights[r]);
    }
    sections.push_back({"rows", std::move(rows)});
    AddStrings(sections, "w", c.words);
    for (const auto& lang : c.languages) {
        if (lang.language.empty() || lang.language.size() > 3 || lang.language == "w" ||
            lang.rows.size() != lang.stems.size())
            throw std::runtime_error("vectors file: bad language table");
        AddStrings(sections, lang.language, lang.stems);
        std::vector<std::uint32_t> entries{0};
        std::vector<RowCoef> pairs;
        for (const auto& list : lang.rows) {
            for (const auto& p : list) {
                if (p.row >= n) throw std::runtime_error("vectors file: translation to a missing row");
                pairs.push_back(p);
            }
            entries.push_back(static_cast<std::uint32_t>(pairs.size()));
        }
        sections.push_back({lang.language + ".ent", Bytes(entries)});
        sections.push_back({lang.language + ".pair", Bytes(pairs)});
    }

    std::size_t at = Align8(kHeaderSize + sections.size() * kDirEntrySize);
    std::vector<std::size_t> offsets;
    for (const auto& s : sections) {
        offsets.push_back(at);
        at = Align8(at + s.bytes.size());
    }
    std::string file(at, '\0');
    std::memcpy(file.data(), kMagic, sizeof kMagic);
    Put(file, 8, kVersion);
    Put(file, 12, c.dims);
    Put(file, 16, static_cast<std::uint32_t>(n));
    Put(file, 20, c.sif_a);
    Put(file, 24, static_cast<std::uint64_t>(file.size()));
    Put(file, 36, static_cast<std::uint32_t>(sections.size()));
    std::memcpy(file.data() + kModelAt, c.model.data(), c.model.size());
    for (std::size_t i = 0; i < sections.size(); ++i) {
        std::size_t d = kHeaderSize + i * kDirEntrySize;
        std::memcpy(file.data() + d, sections[i].tag.data(), std::min(sections[i].tag.size(), kTagSize));
        Put(file, d + 8, static_cast<std::uint64_t>(offsets[i]));
        Put(file, d + 16, static_cast<std::uint64_t>(sections[i].bytes.size()));
        if (!sections[i].bytes.empty())
            std::memcpy(file.data() + offsets[i], sections[i].bytes.data(), sections[i].bytes.size());
    }
    Put(file, kCrcAt, static_cast<std::uint32_t>(crc32_z(0, reinterpret_cast<const Bytef*>(file.data()), file.size())));

    const std::string tmp = path + ".tmp";
    {
        // In 64 KB writes: the page cache then holds the file in pieces of that size, and a page fault at run time
        // maps one piece, not a large folio of up to 2 MB (ext4 on Linux 6.x), which would swell the resident size.
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        for (std::size_t at = 0; at < file.size() && out; at += kIoChunk)
            out.write(file.data() + at, static_cast<std::streamsize>(std::min(kIoChunk, file.size() - at)));
        out.close();
        if (!out) {
            std::error_code ignored;
            std::filesystem::remove(tmp, ignored);
            throw std::runtime_error("cannot write " + tmp);
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::error_code ignored;
        std::filesystem::remove(tmp, ignored);
        throw std::runtime_error("cannot rename " + tmp + " to " + path + ": " + ec.message());
    }
}

std::optional<std::uint32_t> VectorsFile::Strings::Find(std::string_view key) const {
    if (count == 0) return std::nullopt;
    for (std::uint64_t h = Fnv1a(key) & mask;; h = (h + 1) & mask) {
        std::uint32_t s = slots[h];
        if (s == 0) return std::nullopt;
        if (At(s - 1) == key) return s - 1;
    }
}

std::unique_ptr<VectorsFile> VectorsFile::Open(const std::string& path, std::string& why) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        why = "cannot open " + path + ": " + std::strerror(errno);
        return nullptr;
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        why = path + " is not a regular file";
        return nullptr;
    }
    const auto size = static_cast<std::size_t>(st.st_size);
    if (size < kHeaderSize) {
        why = path + " is not a word-vectors file (" + std::to_string(size) + " bytes)";
        return nullptr;
    }
    // Lookups touch a few scattered pages: no read-ahead, neither for the checksum pass nor for the mapping.
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
        why = "cannot map " + path + ": " + std::strerror(errno);
        return nullptr;
    }
    ::madvise(map, size, MADV_RANDOM);
    std::unique_ptr<VectorsFile> f(new VectorsFile);
    f->map_ = map;
    f->size_ = size;
    const auto* base = static_cast<const unsigned char*>(map);
    try {
        if (std::memcmp(base, kMagic, sizeof kMagic) != 0) throw Damaged{"is not a word-vectors file"};
        auto version = Get<std::uint32_t>(base + 8);
        if (version != kVersion)
            throw Damaged{"has format version " + std::to_string(version) + ", this build reads " +
                          std::to_string(kVersion) + " (convert the vectors again)"};
        auto declared = Get<std::uint64_t>(base + 24);
        if (declared != size)
            throw Damaged{"is damaged: " + std::to_string(size) + " bytes, its header says " +
                          std::to_string(declared)};
        // The checksum, read with pread in 64 KB pieces rather than through the mapping, which would leave all
        // of it mapped (and read ahead in large pieces).
        std::vector<unsigned char> chunk(kIoChunk);
        uLong crc = 0;
        for (std::size_t at = 0; at < size;) {
            ssize_t got = ::pread(fd, chunk.data(), std::min(kIoChunk, size - at), static_cast<off_t>(at));
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) throw Damaged{got < 0 ? std::string("cannot be read: ") + std::strerror(errno) : "shrank"};
            const auto n = static_cast<std::size_t>(got);
            for (std::size_t i = std::max(at, kCrcAt); i < std::min(at + n, kCrcAt + 4); ++i)
                chunk[i - at] = 0;  // the CRC field counts as zero
            crc = crc32_z(crc, chunk.data(), n);
            at += n;
        }
        if (static_cast<std::uint32_t>(crc) != Get<std::uint32_t>(base + kCrcAt))
            throw Damaged{"is damaged (checksum mismatch)"};

        f->dims_ = Get<std::uint32_t>(base + 12);
        f->rows_ = Get<std::uint32_t>(base + 16);
        f->sif_a_ = Get<float>(base + 20);
        if (f->dims_ == 0 || f->dims_ > kMaxDims) throw Damaged{"has a bad dimension count"};
        f->stride_ = Stride(f->dims_);
        const char* model = reinterpret_cast<const char*>(base + kModelAt);
        f->model_.assign(model, strnlen(model, kModelSize));
        auto count = Get<std::uint32_t>(base + 36);
        if (count > kMaxSections || kHeaderSize + count * kDirEntrySize > size)
            throw Damaged{"has a bad section directory"};

        struct Found {
            const unsigned char* data;
            std::size_t size;
        };
        std::vector<std::pair<std::string, Found>> sections;
        for (std::uint32_t i = 0; i < count; ++i) {
            const unsigned char* d = base + kHeaderSize + i * kDirEntrySize;
            std::string tag(reinterpret_cast<const char*>(d), strnlen(reinterpret_cast<const char*>(d), kTagSize));
            auto off = Get<std::uint64_t>(d + 8);
            auto len = Get<std::uint64_t>(d + 16);
            if (off % 8 != 0 || off > size || len > size - off) throw Damaged{"has a section outside the file"};
            sections.push_back({tag, {base + off, static_cast<std::size_t>(len)}});
        }
        auto section = [&](const std::string& tag, std::size_t expected = SIZE_MAX) {
            for (const auto& [t, s] : sections)
                if (t == tag) {
                    if (expected != SIZE_MAX && s.size != expected) throw Damaged{"has a bad \"" + tag + "\" section"};
                    return s;
                }
            throw Damaged{"lacks its \"" + tag + "\" section"};
        };
        auto strings = [&](const std::string& prefix, std::uint32_t n) {
            Strings s;
            s.count = n;
            Found off = section(prefix + ".off", (static_cast<std::size_t>(n) + 1) * 4);
            Found str = section(prefix + ".str");
            Found hash = section(prefix + ".hash");
            s.offsets = reinterpret_cast<const std::uint32_t*>(off.data);
            s.bytes = reinterpret_cast<const char*>(str.data);
            s.slots = reinterpret_cast<const std::uint32_t*>(hash.data);
            if (s.offsets[0] != 0 || s.offsets[n] != str.size) throw Damaged{"has a bad \"" + prefix + "\" table"};
            for (std::uint32_t i = 0; i < n; ++i)
                if (s.offsets[i + 1] < s.offsets[i]) throw Damaged{"has a bad \"" + prefix + "\" table"};
            std::size_t slots = hash.size / 4;
            if (hash.size % 4 != 0 || !std::has_single_bit(slots) || slots <= n)
                throw Damaged{"has a bad \"" + prefix + "\" hash table"};
            std::size_t used = 0;
            for (std::size_t i = 0; i < slots; ++i) {
                if (s.slots[i] > n) throw Damaged{"has a bad \"" + prefix + "\" hash table"};
                used += s.slots[i] != 0;
            }
            if (used != n) throw Damaged{"has a bad \"" + prefix + "\" hash table"};
            s.mask = slots - 1;
            return s;
        };

        f->pc_ = reinterpret_cast<const float*>(section("pc", f->dims_ * 4ull).data);
        double norm = 0;
        for (std::uint32_t d = 0; d < f->dims_; ++d) norm += static_cast<double>(f->pc_[d]) * f->pc_[d];
        if (!(std::fabs(norm - 1) < 1e-3)) throw Damaged{"has a bad common component"};
        f->rows_data_ = section("rows", f->rows_ * f->stride_).data;
        for (std::uint32_t r = 0; r < f->rows_; ++r) {
            const unsigned char* row = f->rows_data_ + r * f->stride_;
            float scale = Get<float>(row), weight = Get<float>(row + 4);
            if (!Finite(scale) || scale < 0 || !Finite(weight) || weight < 0 || weight > 1)
                throw Damaged{"has a bad vector (row " + std::to_string(r) + ")"};
        }
        f->words_ = strings("w", f->rows_);
        for (const auto& [tag, s] : sections) {
            if (tag.size() <= 4 || tag.compare(tag.size() - 4, 4, ".ent") != 0) continue;
            Language lang;
            lang.code = tag.substr(0, tag.size() - 4);
            if (s.size % 4 != 0 || s.size < 4) throw Damaged{"has a bad \"" + tag + "\" section"};
            auto n = static_cast<std::uint32_t>(s.size / 4 - 1);
            lang.entries = reinterpret_cast<const std::uint32_t*>(s.data);
            lang.stems = strings(lang.code, n);
            Found pairs = section(lang.code + ".pair");
            if (pairs.size % sizeof(RowCoef) != 0 || lang.entries[0] != 0 ||
                lang.entries[n] != pairs.size / sizeof(RowCoef))
                throw Damaged{"has a bad \"" + lang.code + "\" table"};
            for (std::uint32_t i = 0; i < n; ++i)
                if (lang.entries[i + 1] < lang.entries[i]) throw Damaged{"has a bad \"" + lang.code + "\" table"};
            lang.pairs = reinterpret_cast<const RowCoef*>(pairs.data);
            for (std::size_t i = 0; i < pairs.size / sizeof(RowCoef); ++i)
                if (lang.pairs[i].row >= f->rows_ || !Finite(lang.pairs[i].coef))
                    throw Damaged{"has a bad \"" + lang.code + "\" table"};
            f->languages_.push_back(std::move(lang));
        }
    } catch (const Damaged& d) {
        why = path + " " + d.why;
        return nullptr;
    }
    // Checking the structure touched the tables and every row; let those pages go, so only the pages lookups touch
    // become resident.
    ::madvise(map, size, MADV_DONTNEED);
    return f;
}

VectorsFile::~VectorsFile() {
    if (map_) ::munmap(map_, size_);
}

std::optional<std::uint32_t> VectorsFile::Find(std::string_view word) const { return words_.Find(word); }

std::string_view VectorsFile::Word(std::uint32_t row) const { return words_.At(row); }

float VectorsFile::Weight(std::uint32_t row) const { return Get<float>(rows_data_ + row * stride_ + 4); }

std::vector<float> VectorsFile::Vector(std::uint32_t row) const {
    const unsigned char* r = rows_data_ + row * stride_;
    const float scale = Get<float>(r);
    const auto* q = reinterpret_cast<const std::int8_t*>(r + 8);
    std::vector<float> v(dims_);
    for (std::uint32_t d = 0; d < dims_; ++d) v[d] = scale * q[d];
    return v;
}

void VectorsFile::AddWeighted(std::uint32_t row, float coef, float* __restrict acc) const {
    const unsigned char* r = rows_data_ + row * stride_;
    const float k = coef * Get<float>(r) * Get<float>(r + 4);
    const auto* __restrict q = reinterpret_cast<const std::int8_t*>(r + 8);
    // Blocks of a fixed width, which the compiler turns into vector instructions at -O2 (a loop over the run-time
    // width it leaves scalar); the vectors never alias the output.
    constexpr std::size_t kBlock = 8;
    const std::size_t n = dims_;
    std::size_t d = 0;
    for (; d + kBlock <= n; d += kBlock) {
        float* __restrict a = acc + d;
        const std::int8_t* __restrict s = q + d;
        for (std::size_t i = 0; i < kBlock; ++i) a[i] += k * static_cast<float>(s[i]);
    }
    for (; d < n; ++d) acc[d] += k * static_cast<float>(q[d]);
}

const VectorsFile::Language* VectorsFile::FindLanguage(std::string_view code) const {
    for (const auto& l : languages_)
        if (l.code == code) return &l;
    return nullptr;
}

bool VectorsFile::HasLanguage(std::string_view language) const { return FindLanguage(language) != nullptr; }

std::size_t VectorsFile::Stems(std::string_view language) const {
    const Language* l = FindLanguage(language);
    return l ? l->stems.count : 0;
}

std::span<const RowCoef> VectorsFile::Translations(std::string_view language, std::string_view stem) const {
    const Language* l = FindLanguage(language);
    if (!l) return {};
    auto i = l->stems.Find(stem);
    if (!i) return {};
    return {l->pairs + l->entries[*i], l->entries[*i + 1] - l->entries[*i]};
}

}  // namespace uxf::knowledge::embedding
