#include "uxf/platform/database.hpp"

namespace uxf::db {
namespace {

using namespace settings;

constexpr Entry<DbSettings> kTable[] = {
    Text<&DbSettings::url>("UXFLOW_DATABASE_URL",
                           "`sqlite:///path/file.db`, or `postgres://user:pass@host:port/db` to share one database "
                           "between instances.",
                           "sqlite://<data dir>/uxflow.db"),
    Integer<&DbSettings::pool_size>("UXFLOW_DATABASE_POOL", 1, 512, "Database connections per process.",
                                    "(workers + hash workers + 2)"),
    Integer<&DbSettings::busy_timeout_ms>("UXFLOW_DATABASE_BUSY_TIMEOUT_MS", 1, 600'000,
                                          "SQLite: milliseconds a writer waits for the write lock before its unit of "
                                          "work is retried."),
    Integer<&DbSettings::max_retries>("UXFLOW_DATABASE_MAX_RETRIES", 0, 100,
                                      "Retries of a unit of work after a transient failure (SQLite busy, PostgreSQL "
                                      "serialization failure or deadlock) before giving up."),
};

}  // namespace

std::span<const Entry<DbSettings>> DbSettingsTable() { return kTable; }

}  // namespace uxf::db
