#include "uxf/billing/migrations.hpp"

namespace uxf::billing::sql {
std::span<const EmbeddedFile> EmbeddedFiles();
}

namespace uxf::billing {

std::vector<db::Migration> Migrations() { return db::MigrationsFromFiles("billing", sql::EmbeddedFiles()); }

}  // namespace uxf::billing
