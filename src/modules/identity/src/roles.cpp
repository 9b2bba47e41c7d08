#include <array>

#include "uxf/identity/types.hpp"

namespace uxf::identity {
namespace {
constexpr std::array<std::pair<Role, std::string_view>, 4> kRoles{
    {{Role::kOwner, "owner"}, {Role::kAdmin, "admin"}, {Role::kEditor, "editor"}, {Role::kViewer, "viewer"}}};
}

std::string_view RoleName(Role role) {
    for (const auto& [r, name] : kRoles)
        if (r == role) return name;
    return "viewer";
}

std::optional<Role> ParseRole(std::string_view name) {
    for (const auto& [r, n] : kRoles)
        if (n == name) return r;
    return std::nullopt;
}

bool RoleAtLeast(Role have, Role need) { return static_cast<int>(have) <= static_cast<int>(need); }

}  // namespace uxf::identity
