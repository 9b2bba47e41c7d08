// What the text fields and positions of a flow may hold (README, Flows, "Input rules"). Every way into a flow
// (the flow document, ops, batch, imports) checks these, so every export can rely on them.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "uxf/core/text.hpp"
#include "uxf/flows/model.hpp"

namespace uxf::flows {

/// Positions are finite and at most this far from the origin on each axis.
constexpr double kMaxCoordinate = 1e6;

/// The text rules (UTF-8, no control characters; kLine or kMultiline) are the core's (uxf/core/text.hpp).
using uxf::TextKind;
using uxf::TextProblem;
using uxf::Utf8Chars;

/// Why `p` is not an acceptable position (not finite, or beyond kMaxCoordinate), or nullopt.
std::optional<std::string> PositionProblem(const Position& p);

}  // namespace uxf::flows
