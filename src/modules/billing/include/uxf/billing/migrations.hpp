#pragma once
#include <vector>

#include "uxf/platform/database.hpp"

namespace uxf::billing {

/// The billing module's schema migrations (embedded from migrations/*.sql).
std::vector<db::Migration> Migrations();

}  // namespace uxf::billing
