#include "words.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <set>
#include <span>

#include <libstemmer.h>

#include "uxf/core/embedded.hpp"
#include "uxf/core/text.hpp"

namespace uxf::knowledge::stopword_files {
std::span<const EmbeddedFile> EmbeddedFiles();
}

namespace uxf::knowledge {
namespace {

bool IsWordChar(long cp) {
    if (cp < 0x80) return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    if (cp < 0xC0) return cp == 0xAA || cp == 0xB5 || cp == 0xBA;  // ª µ º; the rest are signs and symbols
    if (cp == 0xD7 || cp == 0xF7) return false;                    // × ÷
    if (cp >= 0x2000 && cp <= 0x2BFF) return false;                // punctuation, symbols, arrows, dingbats
    if (cp >= 0x3000 && cp <= 0x303F) return false;                // CJK punctuation
    if (cp >= 0xFE30 && cp <= 0xFE6F) return false;
    if (cp >= 0xFF00 && cp <= 0xFF0F) return false;
    if (cp >= 0x1F000 && cp <= 0x1FAFF) return false;  // emoji and pictographs
    return true;
}

long Lower(long cp) {
    if (cp >= 'A' && cp <= 'Z') return cp + 32;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;
    if (cp == 0x178) return 0xFF;  // Ÿ
    if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177)) return cp | 1;
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) return (cp & 1) ? cp + 1 : cp;
    if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) return cp + 32;  // Greek
    if (cp >= 0x410 && cp <= 0x42F) return cp + 32;                 // Cyrillic
    if (cp >= 0x400 && cp <= 0x40F) return cp + 80;
    return cp;
}

// The stop words by language, from the embedded lists ("en.txt": one word per line).
const std::map<std::string, std::set<std::string, std::less<>>, std::less<>>& Stopwords() {
    static const auto lists = [] {
        std::map<std::string, std::set<std::string, std::less<>>, std::less<>> out;
        for (const auto& file : stopword_files::EmbeddedFiles()) {
            std::string_view name = file.name.substr(file.name.rfind('/') + 1);
            auto& words = out[std::string(name.substr(0, name.find('.')))];
            std::string_view rest = file.content;
            while (!rest.empty()) {
                std::string_view line = rest.substr(0, rest.find('\n'));
                rest.remove_prefix(std::min(rest.size(), line.size() + 1));
                while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
                if (!line.empty()) words.emplace(line);
            }
        }
        return out;
    }();
    return lists;
}

const char* Algorithm(std::string_view language) {
    if (language == "en") return "english";
    if (language == "de") return "german";
    if (language == "es") return "spanish";
    if (language == "fr") return "french";
    return nullptr;
}

struct StemmerDeleter {
    void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};

}  // namespace

std::vector<std::string> Words(std::string_view text) {
    std::vector<std::string> out;
    std::string word;
    for (std::size_t i = 0; i < text.size();) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {  // ASCII, most of most texts: no decoding
            ++i;
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                word += static_cast<char>(c);
            } else if (c >= 'A' && c <= 'Z') {
                word += static_cast<char>(c + 32);
            } else if (!word.empty()) {
                out.push_back(std::move(word));
                word.clear();
            }
            continue;
        }
        long cp = NextCodePoint(text, i);
        if (cp >= 0 && IsWordChar(cp)) {
            AppendUtf8(word, Lower(cp));
        } else if (!word.empty()) {
            out.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) out.push_back(std::move(word));
    return out;
}

std::vector<WordSpan> WordSpans(std::string_view text) {
    std::vector<WordSpan> out;
    std::size_t start = 0;
    bool in = false;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t at = i;
        unsigned char c = static_cast<unsigned char>(text[i]);
        bool word;
        if (c < 0x80) {
            ++i;
            word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        } else {
            long cp = NextCodePoint(text, i);
            word = cp >= 0 && IsWordChar(cp);
        }
        if (word && !in) start = at;
        if (!word && in) out.push_back({start, at - start});
        in = word;
    }
    if (in) out.push_back({start, text.size() - start});
    return out;
}

bool HasStemmer(std::string_view language) { return Algorithm(language) != nullptr; }

std::string Stem(std::string_view word, std::string_view language) {
    const char* algorithm = Algorithm(language);
    if (!algorithm) return std::string(word);
    // sb_stemmer keeps state per call: one per thread and language.
    thread_local std::map<std::string, std::unique_ptr<sb_stemmer, StemmerDeleter>, std::less<>> stemmers;
    auto it = stemmers.find(language);
    if (it == stemmers.end()) it = stemmers.emplace(std::string(language), sb_stemmer_new(algorithm, "UTF_8")).first;
    if (!it->second) return std::string(word);
    const sb_symbol* stem = sb_stemmer_stem(it->second.get(), reinterpret_cast<const sb_symbol*>(word.data()),
                                            static_cast<int>(word.size()));
    if (!stem) return std::string(word);
    return std::string(reinterpret_cast<const char*>(stem),
                       static_cast<std::size_t>(sb_stemmer_length(it->second.get())));
}

bool IsStopword(std::string_view word, std::string_view language) {
    const auto& lists = Stopwords();
    if (language.empty())
        return std::any_of(lists.begin(), lists.end(), [&](const auto& l) { return l.second.contains(word); });
    auto it = lists.find(language);
    return it != lists.end() && it->second.contains(word);
}

}  // namespace uxf::knowledge
