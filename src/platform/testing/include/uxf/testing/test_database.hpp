#pragma once
#include <memory>
#include <string>

#include "uxf/platform/database.hpp"

namespace uxf::testing {

/// A fresh, empty database for one test: SQLite in memory by default, or, when UXFLOW_TEST_DATABASE_URL names
/// a PostgreSQL server, a new schema on it that is dropped when the test ends.
class TestDatabase {
  public:
    /// `concurrent`: on SQLite, a temporary file with a pool of connections instead of one in-memory connection,
    /// for tests with several threads.
    explicit TestDatabase(bool concurrent = false);
    ~TestDatabase();
    db::Database& db() { return *db_; }
    /// The settings that open this same database again (for a server under test).
    const db::DbSettings& settings() const { return settings_; }
    static bool UsingPostgres();

  private:
    db::DbSettings settings_;
    std::string sqlite_file_;
    std::unique_ptr<db::Database> db_;
};

}  // namespace uxf::testing
