#include "dictd.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>

#include "package.hpp"
#include "text/words.hpp"

namespace uxf::knowledge::embedding {
namespace {

// dictd's base64 number: most significant digit first.
bool Base64Number(std::string_view s, std::uint64_t& out) {
    if (s.empty() || s.size() > 10) return false;
    out = 0;
    for (char c : s) {
        int d = c >= 'A' && c <= 'Z'   ? c - 'A'
                : c >= 'a' && c <= 'z' ? c - 'a' + 26
                : c >= '0' && c <= '9' ? c - '0' + 52
                : c == '+'             ? 62
                : c == '/'             ? 63
                                       : -1;
        if (d < 0) return false;
        out = out * 64 + static_cast<std::uint64_t>(d);
    }
    return true;
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

bool EnglishPlaceholder(std::string_view w) {
    static constexpr std::array<std::string_view, 6> kWords = {"sb", "sth", "smb", "smth", "sthg", "oneself"};
    if (w.size() == 1) return w != "a" && w != "i";  // stray letters: "sb's" gives "sb", "s"
    return std::find(kWords.begin(), kWords.end(), w) != kWords.end();
}

bool GermanPlaceholder(std::string_view w) {
    static constexpr std::array<std::string_view, 10> kWords = {"etw",  "jdn",    "jdm",      "jds",      "jd",
                                                                "sich", "jemand", "jemanden", "jemandem", "jemandes"};
    return std::find(kWords.begin(), kWords.end(), w) != kWords.end();
}

}  // namespace

void ForEachDictdEntry(const std::string& index_path, const std::string& dict_path,
                       const std::function<void(std::string_view headword, std::string_view text)>& entry) {
    const std::string index = ReadMaybeGzip(index_path);
    const std::string dict = ReadMaybeGzip(dict_path);
    std::size_t line_no = 0;
    for (std::size_t at = 0; at < index.size();) {
        std::size_t eol = index.find('\n', at);
        if (eol == std::string::npos) eol = index.size();
        std::string_view line(index.data() + at, eol - at);
        at = eol + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) continue;
        std::size_t t1 = line.find('\t');
        std::size_t t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
        std::uint64_t offset = 0, length = 0;
        if (t2 == std::string_view::npos || !Base64Number(line.substr(t1 + 1, t2 - t1 - 1), offset) ||
            !Base64Number(line.substr(t2 + 1, line.find('\t', t2 + 1) - t2 - 1), length))
            throw std::runtime_error(index_path + ":" + std::to_string(line_no) + ": not a dictd index line");
        if (offset > dict.size() || length > dict.size() - offset)
            throw std::runtime_error(index_path + ":" + std::to_string(line_no) + ": entry outside " + dict_path);
        std::string_view headword = line.substr(0, t1);
        if (StartsWith(headword, "00database") || StartsWith(headword, "00-database")) continue;
        entry(headword, std::string_view(dict).substr(offset, length));
    }
}

std::vector<Sense> EnglishSenses(std::string_view text) {
    std::vector<Sense> senses;
    bool first = true;
    for (std::size_t at = 0; at < text.size();) {
        std::size_t eol = text.find('\n', at);
        if (eol == std::string_view::npos) eol = text.size();
        std::string_view line = text.substr(at, eol - at);
        at = eol + 1;
        if (first) {  // the headword line
            first = false;
            continue;
        }
        std::size_t indent = line.find_first_not_of(' ');
        if (indent == std::string_view::npos || indent > 1) continue;  // blank; examples, notes, synonyms
        line.remove_prefix(indent);
        if (line[0] == '"' || StartsWith(line, "see:")) continue;
        std::size_t digits = 0;
        while (digits < line.size() && line[digits] >= '0' && line[digits] <= '9') ++digits;
        if (digits > 0 && digits + 1 < line.size() && line[digits] == '.' && line[digits + 1] == ' ')
            line.remove_prefix(digits + 2);

        // Drop bracketed annotations, then split into alternatives.
        std::string plain;
        int depth = 0;
        for (char c : line) {
            if (c == '(' || c == '[' || c == '<' || c == '{') {
                ++depth;
            } else if (c == ')' || c == ']' || c == '>' || c == '}') {
                depth = std::max(0, depth - 1);
            } else if (depth == 0) {
                plain += c;
            }
        }
        Sense sense;
        for (std::size_t from = 0; from <= plain.size();) {
            std::size_t to = plain.find_first_of(",;", from);
            if (to == std::string::npos) to = plain.size();
            Alternative alt;
            for (auto& w : Words(std::string_view(plain).substr(from, to - from)))
                if (!EnglishPlaceholder(w)) alt.push_back(std::move(w));
            if (!alt.empty()) sense.push_back(std::move(alt));
            from = to + 1;
        }
        if (!sense.empty()) senses.push_back(std::move(sense));
    }
    return senses;
}

std::string HeadwordWord(std::string_view headword, std::string_view language) {
    std::string word;
    for (auto& w : Words(headword)) {
        if (language == "de" && GermanPlaceholder(w)) continue;
        if (!word.empty()) return "";
        word = std::move(w);
    }
    return word;
}

}  // namespace uxf::knowledge::embedding
