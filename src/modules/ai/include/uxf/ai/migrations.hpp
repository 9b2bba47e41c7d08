#pragma once
#include <vector>

#include "uxf/platform/database.hpp"

namespace uxf::ai {

/// The ai module's schema migrations (embedded from migrations/*.sql).
std::vector<db::Migration> Migrations();

}  // namespace uxf::ai
