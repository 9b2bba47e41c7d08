#pragma once
#include <vector>

#include "uxf/platform/database.hpp"

namespace uxf::knowledge {

/// The knowledge module's schema migrations (embedded from migrations/*.sql).
std::vector<db::Migration> Migrations();

}  // namespace uxf::knowledge
