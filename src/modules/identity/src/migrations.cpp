#include "uxf/identity/migrations.hpp"

namespace uxf::identity::sql {
std::span<const EmbeddedFile> EmbeddedFiles();
}

namespace uxf::identity {

std::vector<db::Migration> Migrations() { return db::MigrationsFromFiles("identity", sql::EmbeddedFiles()); }

}  // namespace uxf::identity
