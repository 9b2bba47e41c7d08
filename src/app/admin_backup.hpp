#pragma once
#include <ostream>
#include <string>

#include "config.hpp"

namespace uxf::app {

/// `uxflow admin backup FILE`: copies the configured SQLite database while the server runs. Returns the exit
/// code: 0 done, 2 refused (PostgreSQL, no database, FILE exists without `overwrite`), with the reason on `err`.
int AdminBackup(const Config& config, const std::string& file, bool overwrite, std::ostream& out, std::ostream& err);

/// `uxflow admin restore FILE`: puts a backup where the configured SQLite database would be, which must not exist
/// yet. Returns 0 done, 2 refused (PostgreSQL, database present, FILE missing, corrupt or not ours).
int AdminRestore(const Config& config, const std::string& file, std::ostream& out, std::ostream& err);

}  // namespace uxf::app
