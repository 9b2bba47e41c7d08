#include "uxf/flows/migrations.hpp"

namespace uxf::flows::sql {
std::span<const EmbeddedFile> EmbeddedFiles();
}

namespace uxf::flows {

std::vector<db::Migration> Migrations() { return db::MigrationsFromFiles("flows", sql::EmbeddedFiles()); }

}  // namespace uxf::flows
