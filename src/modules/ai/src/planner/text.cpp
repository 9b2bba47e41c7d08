#include "planner/text.hpp"

#include <algorithm>

namespace uxf::ai::planner {
namespace {

bool IsWordByte(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

// The shared start of two words when both have at least 4 letters in common there (a crude stem).
bool SameStem(std::string_view a, std::string_view b) {
    if (a == b) return true;
    std::size_t n = 0;
    while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
    std::size_t shorter = std::min(a.size(), b.size());
    // "book"/"booking", "verify"/"verification"; not "request"/"required" or "reserve"/"reset"
    return (n == shorter && n >= 4) || (n >= 5 && n + 3 >= shorter);
}

}  // namespace

std::string Fold(std::string_view s) {
    std::string out(s);
    for (std::size_t i = 0; i < out.size(); ++i) {
        auto c = static_cast<unsigned char>(out[i]);
        if (c >= 'A' && c <= 'Z') {
            out[i] = static_cast<char>(c + 32);
        } else if (c == 0xC3 && i + 1 < out.size()) {
            auto d = static_cast<unsigned char>(out[i + 1]);
            if (d >= 0x80 && d <= 0x9E && d != 0x97) out[i + 1] = static_cast<char>(d + 0x20);
            ++i;
        }
    }
    return out;
}

std::string Capitalize(std::string_view s) {
    std::string out(s);
    if (out.empty()) return out;
    auto c = static_cast<unsigned char>(out[0]);
    if (c >= 'a' && c <= 'z') {
        out[0] = static_cast<char>(c - 32);
    } else if (c == 0xC3 && out.size() > 1) {
        auto d = static_cast<unsigned char>(out[1]);
        if (d >= 0xA0 && d <= 0xBE && d != 0xB7) out[1] = static_cast<char>(d - 0x20);
    }
    return out;
}

std::vector<std::string> Words(std::string_view s) {
    std::string f = Fold(s);
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < f.size()) {
        while (i < f.size() && !IsWordByte(static_cast<unsigned char>(f[i]))) ++i;
        std::size_t j = i;
        while (j < f.size() && IsWordByte(static_cast<unsigned char>(f[j]))) {
            // typographic apostrophe and quotes (U+2019, U+201C/D) and guillemets end a word
            if (static_cast<unsigned char>(f[j]) == 0xE2) break;
            if (static_cast<unsigned char>(f[j]) == 0xC2 && j + 1 < f.size() &&
                (static_cast<unsigned char>(f[j + 1]) == 0xAB || static_cast<unsigned char>(f[j + 1]) == 0xBB))
                break;
            ++j;
        }
        if (j > i) out.push_back(f.substr(i, j - i));
        if (j == i) ++j;
        i = j;
    }
    return out;
}

bool IsOneOf(std::string_view word, const std::vector<std::string_view>& list) {
    return std::find(list.begin(), list.end(), word) != list.end();
}

std::size_t FindPhrase(std::string_view text, std::string_view phrase, std::size_t from) {
    if (phrase.empty()) return std::string_view::npos;
    for (std::size_t at = text.find(phrase, from); at != std::string_view::npos; at = text.find(phrase, at + 1)) {
        bool left = at == 0 || !IsWordByte(static_cast<unsigned char>(text[at - 1])) ||
                    !IsWordByte(static_cast<unsigned char>(phrase.front()));
        std::size_t end = at + phrase.size();
        bool right = end >= text.size() || !IsWordByte(static_cast<unsigned char>(text[end])) ||
                     !IsWordByte(static_cast<unsigned char>(phrase.back()));
        if (left && right) return at;
    }
    return std::string_view::npos;
}

std::string_view TrimText(std::string_view s) {
    auto strip = [](std::string_view t, bool front) {
        static const std::string_view kMarks[] = {"«", "»", "“", "”", "„", "‘", "’", "¿", "¡", "—", "–"};
        for (bool again = true; again && !t.empty();) {
            again = false;
            char c = front ? t.front() : t.back();
            if (std::string_view(" \t\r\n,;:.!?\"'()[]-*").find(c) != std::string_view::npos) {
                t = front ? t.substr(1) : t.substr(0, t.size() - 1);
                again = true;
                continue;
            }
            for (auto m : kMarks)
                if (front ? t.starts_with(m) : t.ends_with(m)) {
                    t = front ? t.substr(m.size()) : t.substr(0, t.size() - m.size());
                    again = true;
                    break;
                }
        }
        return t;
    };
    return strip(strip(s, true), false);
}

std::string_view StripLeading(std::string_view s, const std::vector<std::string_view>& list) {
    for (bool again = true; again;) {
        again = false;
        s = TrimText(s);
        std::string f = Fold(s);
        for (auto p : list)
            if (f.starts_with(p) && (f.size() == p.size() || !IsWordByte(static_cast<unsigned char>(f[p.size()])) ||
                                     !IsWordByte(static_cast<unsigned char>(p.back())))) {
                s = s.substr(p.size());
                again = !s.empty();
                break;
            }
    }
    return TrimText(s);
}

std::vector<std::string> ContentWords(std::string_view text, const std::vector<std::string_view>& stop) {
    std::vector<std::string> out;
    for (auto& w : Words(text))
        if (w.size() > 1 && !IsOneOf(w, stop)) out.push_back(std::move(w));
    return out;
}

double Overlap(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    if (a.empty()) return 0;
    std::size_t shared = 0;
    for (const auto& w : a)
        if (std::any_of(b.begin(), b.end(), [&](const std::string& v) { return SameStem(w, v); })) ++shared;
    return static_cast<double>(shared) / static_cast<double>(a.size());
}

double Overlap(std::string_view a, std::string_view b, const std::vector<std::string_view>& stop) {
    return Overlap(ContentWords(a, stop), Words(b));
}

}  // namespace uxf::ai::planner
