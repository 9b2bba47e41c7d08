#include "uxf/knowledge/migrations.hpp"

namespace uxf::knowledge::sql {
std::span<const EmbeddedFile> EmbeddedFiles();
}

namespace uxf::knowledge {

std::vector<db::Migration> Migrations() { return db::MigrationsFromFiles("knowledge", sql::EmbeddedFiles()); }

}  // namespace uxf::knowledge
