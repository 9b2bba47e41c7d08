// UTF-8 text: decoding and encoding code points, the characters user text may hold, and escaping for XML and HTML.
// One implementation for every module that reads or writes text (flow labels, document titles, search words).
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace uxf {

/// The code point starting at s[i], advancing i past it; or -1 when the bytes there are not valid UTF-8 (truncated,
/// overlong, a surrogate, above U+10FFFF), advancing i past the one bad byte.
long NextCodePoint(std::string_view s, std::size_t& i);
/// Appends code point `cp` (at most U+10FFFF) to `out` as UTF-8.
void AppendUtf8(std::string& out, long cp);
bool IsValidUtf8(std::string_view s);
/// Characters (code points) of UTF-8 text.
std::size_t Utf8Chars(std::string_view s);

/// At most `max` bytes of `text` (trimmed), cut at a UTF-8 boundary with "..." when it was longer, control
/// characters as spaces: a quote from another system's message that is safe to log and to show.
std::string Excerpt(std::string_view text, std::size_t max);

/// kLine: names, ids, titles (no control character at all). kMultiline: labels, conditions and descriptions,
/// which may also hold line breaks (\n) and tabs (\t).
enum class TextKind { kLine, kMultiline };

/// Why `s` is not acceptable text: invalid UTF-8, a control character (C0 other than those kMultiline allows,
/// DEL, C1), or a noncharacter U+FFFE/U+FFFF (not allowed in XML). nullopt when it is fine.
std::optional<std::string> TextProblem(std::string_view s, TextKind kind);

/// Appends `s` as XML or HTML text or attribute value: & < > " ' as entities, line breaks and tabs as character
/// references (a literal one in an attribute would be normalised to a space), other characters XML 1.0 does not
/// allow dropped.
void AppendXmlEscaped(std::string& out, std::string_view s);

}  // namespace uxf
