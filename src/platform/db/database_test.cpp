#include <gtest/gtest.h>

#include <thread>

#include "uxf/core/result.hpp"
#include "uxf/testing/test_database.hpp"

namespace uxf::db {
namespace {

constexpr EmbeddedFile kFiles[] = {
    {"0002_more.sql", "ALTER TABLE things ADD COLUMN note TEXT;\n"},
    {"0001_init.sql",
     "CREATE TABLE things (id TEXT PRIMARY KEY, n BIGINT NOT NULL, label TEXT);\n"
     "-- sqlite:\nCREATE INDEX things_n ON things (n);\n-- postgres:\nCREATE INDEX things_n ON things USING btree "
     "(n);\n"},
};

class DatabaseTest : public ::testing::Test {
  protected:
    void SetUp() override { migrations_ = MigrationsFromFiles("test", kFiles); }
    uxf::testing::TestDatabase tdb_;
    std::vector<Migration> migrations_;
};

TEST_F(DatabaseTest, MigratesInOrderOnce) {
    ASSERT_EQ(migrations_[0].version, 1);
    EXPECT_EQ(Migrate(tdb_.db(), migrations_), 2);
    EXPECT_EQ(Migrate(tdb_.db(), migrations_), 0);
    tdb_.db().Write([](Tx& tx) {
        tx.Exec("INSERT INTO things (id, n, label, note) VALUES (:a, :b, :c, :d)", {"x", std::int64_t{7}, kNull, "hi"});
    });
    auto row = tdb_.db().Read([](Tx& tx) { return tx.QueryOne("SELECT id, n, label, note FROM things"); });
    ASSERT_TRUE(row);
    EXPECT_EQ(row->Str(0), "x");
    EXPECT_EQ(row->Int(1), 7);
    EXPECT_TRUE(row->IsNull(2));
    EXPECT_EQ(row->OptStr(3), "hi");
}

TEST_F(DatabaseTest, BinaryValuesRoundTripByteForByte) {
    std::string bytes;
    for (int i = 0; i < 512; ++i) bytes.push_back(static_cast<char>(i % 256));  // NUL, 0xFF, invalid UTF-8
    const char* type = tdb_.db().backend() == Backend::kPostgres ? "BYTEA" : "BLOB";
    tdb_.db().Write([&](Tx& tx) {
        tx.Exec("CREATE TABLE blobs (id BIGINT PRIMARY KEY, data " + std::string(type) + ")");
        tx.Exec("INSERT INTO blobs (id, data) VALUES (:i, :d)", {std::int64_t{1}, Blob{bytes}});
        tx.Exec("INSERT INTO blobs (id, data) VALUES (:i, :d)", {std::int64_t{2}, Blob{}});
    });
    auto rows = tdb_.db().Read([](Tx& tx) { return tx.Query("SELECT data FROM blobs ORDER BY id"); });
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].Str(0), bytes);
    EXPECT_EQ(rows[1].Str(0), "");
}

TEST_F(DatabaseTest, ErrorResultRollsBackAndExceptionsToo) {
    Migrate(tdb_.db(), migrations_);
    Result<int> r = tdb_.db().Write([](Tx& tx) -> Result<int> {
        tx.Exec("INSERT INTO things (id, n) VALUES ('a', 1)");
        return Error::Invalid("no");
    });
    EXPECT_FALSE(r.ok());
    EXPECT_THROW(tdb_.db().Write([](Tx& tx) {
        tx.Exec("INSERT INTO things (id, n) VALUES ('b', 1)");
        tx.Exec("INSERT INTO things (id, n) VALUES ('b', 2)");  // primary key violation
    }),
                 std::exception);
    auto count = tdb_.db().Read([](Tx& tx) { return tx.QueryOne("SELECT COUNT(*) FROM things")->Int(0); });
    EXPECT_EQ(count, 0);
}

TEST_F(DatabaseTest, ExecReportsChangedRowsAndReturningWorks) {
    Migrate(tdb_.db(), migrations_);
    tdb_.db().Write([](Tx& tx) {
        tx.Exec("INSERT INTO things (id, n) VALUES ('a', 1), ('b', 1), ('c', 2)");
        EXPECT_EQ(tx.Exec("UPDATE things SET n = n + 10 WHERE n = :n", {std::int64_t{1}}), 2);
        EXPECT_EQ(tx.Exec("INSERT INTO things (id, n) VALUES ('a', 5) ON CONFLICT (id) DO NOTHING"), 0);
        auto rows = tx.Query("UPDATE things SET n = 0 WHERE id = :id RETURNING n, id", {"c"});
        ASSERT_EQ(rows.size(), 1u);
        EXPECT_EQ(rows[0].Int(0), 0);
        EXPECT_EQ(rows[0].Str(1), "c");
    });
}

// No lost updates under concurrency. (PostgreSQL serialises these row updates without any failure, so this
// never retries; transaction_retry_test.cpp forces the failures the runner retries.)
TEST_F(DatabaseTest, ConcurrentIncrementsLoseNothing) {
    if (!uxf::testing::TestDatabase::UsingPostgres()) GTEST_SKIP() << "in-memory SQLite has one connection";
    Migrate(tdb_.db(), migrations_);
    tdb_.db().Write([](Tx& tx) { tx.Exec("INSERT INTO things (id, n) VALUES ('ctr', 0)"); });
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 25; ++i)
                tdb_.db().Write([](Tx& tx) { tx.Exec("UPDATE things SET n = n + 1 WHERE id = 'ctr'"); });
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(tdb_.db().Read([](Tx& tx) { return tx.QueryOne("SELECT n FROM things")->Int(0); }), 100);
}

TEST(DatabaseFile, SqliteFileWithConcurrentWriters) {
    std::string path = ::testing::TempDir() + "/uxf_db_test_" + std::to_string(::getpid()) + ".db";
    std::remove(path.c_str());
    auto db = OpenDatabase({.url = "sqlite://" + path, .pool_size = 4});
    Migrate(*db, MigrationsFromFiles("test", kFiles));
    db->Write([](Tx& tx) { tx.Exec("INSERT INTO things (id, n) VALUES ('ctr', 0)"); });
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 25; ++i) {
                db->Write([](Tx& tx) {
                    auto n = tx.QueryOne("SELECT n FROM things WHERE id = 'ctr'")->Int(0);
                    tx.Exec("UPDATE things SET n = :n WHERE id = 'ctr'", {n + 1});
                });
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(db->Read([](Tx& tx) { return tx.QueryOne("SELECT n FROM things")->Int(0); }), 100);
    EXPECT_TRUE(db->Ping());
    EXPECT_EQ(db->Read([](Tx& tx) { return tx.QueryOne("PRAGMA journal_mode")->Str(0); }), "wal");
    db.reset();
    std::remove(path.c_str());
}

TEST(DatabaseUrl, RejectsUnknownScheme) { EXPECT_THROW(OpenDatabase({.url = "mysql://x"}), std::invalid_argument); }

}  // namespace
}  // namespace uxf::db
