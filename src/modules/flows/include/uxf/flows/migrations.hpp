#pragma once
#include <vector>

#include "uxf/platform/database.hpp"

namespace uxf::flows {

/// The flows module's schema migrations (embedded from migrations/*.sql).
std::vector<db::Migration> Migrations();

}  // namespace uxf::flows
