#include "uxf/testing/test_database.hpp"

#include <cstdlib>
#include <filesystem>

#include "uxf/core/ids.hpp"

namespace uxf::testing {
namespace {

std::string PostgresUrl() {
    const char* url = std::getenv("UXFLOW_TEST_DATABASE_URL");
    return url && std::string_view(url).starts_with("postgres") ? url : "";
}

}  // namespace

bool TestDatabase::UsingPostgres() { return !PostgresUrl().empty(); }

TestDatabase::TestDatabase(bool concurrent) {
    std::string pg = PostgresUrl();
    if (pg.empty() && concurrent) {
        sqlite_file_ = (std::filesystem::temp_directory_path() / (NewId("testdb") + ".db")).string();
        settings_.url = "sqlite://" + sqlite_file_;
        settings_.pool_size = 8;
    } else if (pg.empty()) {
        settings_.url = "sqlite::memory:";
        settings_.pool_size = 1;
    } else {
        settings_.url = pg;
        settings_.pool_size = 4;
        settings_.postgres_schema = "t_" + NewId("s").substr(2);
        db::DbSettings admin{.url = pg, .pool_size = 1};
        auto conn = db::OpenDatabase(admin);
        conn->Write([&](db::Tx& tx) { tx.Exec("CREATE SCHEMA " + settings_.postgres_schema); });
    }
    db_ = db::OpenDatabase(settings_);
}

TestDatabase::~TestDatabase() {
    db_.reset();
    if (!sqlite_file_.empty())
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(sqlite_file_ + suffix);
    if (!settings_.postgres_schema.empty()) {
        try {
            db::DbSettings admin{.url = settings_.url, .pool_size = 1};
            auto conn = db::OpenDatabase(admin);
            conn->Write([&](db::Tx& tx) { tx.Exec("DROP SCHEMA " + settings_.postgres_schema + " CASCADE"); });
        } catch (...) {
        }
    }
}

}  // namespace uxf::testing
