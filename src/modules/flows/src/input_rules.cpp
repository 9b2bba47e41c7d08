#include "uxf/flows/input_rules.hpp"

#include <cmath>

#include <fmt/format.h>

namespace uxf::flows {

std::optional<std::string> PositionProblem(const Position& p) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y) || std::fabs(p.x) > kMaxCoordinate ||
        std::fabs(p.y) > kMaxCoordinate)
        return fmt::format("x and y must be finite numbers from -{0:.0f} to {0:.0f}", kMaxCoordinate);
    return std::nullopt;
}

}  // namespace uxf::flows
