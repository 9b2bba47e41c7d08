// What the text fields and positions of a flow may hold (README, Flows, "Input rules"). Every way into a flow
// (the flow document, ops, batch, imports) checks these, so every export can rely on them.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "uxf/flows/model.hpp"

namespace uxf::flows {

/// Positions are finite and at most this far from the origin on each axis.
constexpr double kMaxCoordinate = 1e6;

/// kLine: names, ids, types (no control character at all). kMultiline: labels, conditions and descriptions,
/// which may also hold line breaks (\n) and tabs (\t).
enum class TextKind { kLine, kMultiline };

/// Why `s` is not acceptable text: invalid UTF-8, a control character (C0 other than those kMultiline allows,
/// DEL, C1), or a noncharacter U+FFFE/U+FFFF (not allowed in XML). nullopt when it is fine.
std::optional<std::string> TextProblem(std::string_view s, TextKind kind);

/// Why `p` is not an acceptable position (not finite, or beyond kMaxCoordinate), or nullopt.
std::optional<std::string> PositionProblem(const Position& p);

/// Characters (code points) of UTF-8 text.
std::size_t Utf8Chars(std::string_view s);

}  // namespace uxf::flows
