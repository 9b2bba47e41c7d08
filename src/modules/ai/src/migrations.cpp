#include "uxf/ai/migrations.hpp"

namespace uxf::ai::sql {
std::span<const EmbeddedFile> EmbeddedFiles();
}

namespace uxf::ai {

std::vector<db::Migration> Migrations() { return db::MigrationsFromFiles("ai", sql::EmbeddedFiles()); }

}  // namespace uxf::ai
