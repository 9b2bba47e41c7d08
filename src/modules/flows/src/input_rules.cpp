#include "uxf/flows/input_rules.hpp"

#include <cmath>

#include <fmt/format.h>

namespace uxf::flows {
namespace {

// The code point starting at s[i] (advancing i past it), or -1 when the bytes there are not valid UTF-8
// (truncated, overlong, a surrogate, above U+10FFFF).
long NextCodePoint(std::string_view s, std::size_t& i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char b = byte(i);
    if (b < 0x80) {
        ++i;
        return b;
    }
    int extra;
    long cp, min;
    if ((b & 0xE0) == 0xC0) {
        extra = 1, cp = b & 0x1F, min = 0x80;
    } else if ((b & 0xF0) == 0xE0) {
        extra = 2, cp = b & 0x0F, min = 0x800;
    } else if ((b & 0xF8) == 0xF0) {
        extra = 3, cp = b & 0x07, min = 0x10000;
    } else {
        return -1;
    }
    if (i + extra >= s.size()) return -1;  // truncated
    for (int k = 1; k <= extra; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return -1;
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
    i += extra + 1;
    return cp;
}

}  // namespace

std::optional<std::string> TextProblem(std::string_view s, TextKind kind) {
    std::size_t chars = 0;
    for (std::size_t i = 0; i < s.size();) {
        long cp = NextCodePoint(s, i);
        ++chars;
        if (cp < 0) return fmt::format("must be valid UTF-8 (bad byte at character {})", chars);
        bool allowed_space = kind == TextKind::kMultiline && (cp == '\n' || cp == '\t');
        if ((cp < 0x20 && !allowed_space) || (cp >= 0x7F && cp <= 0x9F))
            return fmt::format("must not hold control characters (U+{:04X} at character {}){}", cp, chars,
                               kind == TextKind::kMultiline ? "; line breaks (\\n) and tabs (\\t) are allowed" : "");
        if (cp == 0xFFFE || cp == 0xFFFF) return fmt::format("must not hold U+{:04X} (character {})", cp, chars);
    }
    return std::nullopt;
}

std::optional<std::string> PositionProblem(const Position& p) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y) || std::fabs(p.x) > kMaxCoordinate ||
        std::fabs(p.y) > kMaxCoordinate)
        return fmt::format("x and y must be finite numbers from -{0:.0f} to {0:.0f}", kMaxCoordinate);
    return std::nullopt;
}

std::size_t Utf8Chars(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

}  // namespace uxf::flows
