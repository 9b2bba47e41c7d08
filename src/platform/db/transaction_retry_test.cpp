// The transaction runner retries a unit of work that meets a transient failure, forced here for real:
// SQLite busy (another connection holds the write lock past busy_timeout), PostgreSQL deadlock (40P01) and
// serialization failure (40001).
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <chrono>
#include <filesystem>
#include <future>
#include <latch>
#include <thread>

#include "uxf/core/ids.hpp"
#include "uxf/testing/test_database.hpp"

namespace uxf::db {
namespace {

using namespace std::chrono_literals;

// Runs `fn` on a new thread; an exception there fails the test instead of ending the process.
template <class F>
std::thread Spawn(F fn) {
    return std::thread([fn = std::move(fn)]() mutable {
        try {
            fn();
        } catch (const std::exception& e) {
            ADD_FAILURE() << "unit of work failed: " << e.what();
        }
    });
}

std::int64_t ValueOf(Database& db, const char* id) {
    return db.Read([&](Tx& tx) { return tx.QueryOne("SELECT n FROM acct WHERE id = :id", {id})->Int(0); });
}

class SqliteBusyTest : public ::testing::Test {
  protected:
    SqliteBusyTest() : path_((std::filesystem::temp_directory_path() / (NewId("busy") + ".db")).string()) {
        holder_ = OpenDatabase({.url = Url(), .pool_size = 1});
        holder_->Write([](Tx& tx) {
            tx.Exec("CREATE TABLE acct (id TEXT PRIMARY KEY, n BIGINT NOT NULL)");
            tx.Exec("INSERT INTO acct (id, n) VALUES ('a', 1)");
        });
    }
    ~SqliteBusyTest() override {
        holder_.reset();
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
    }
    std::string Url() const { return "sqlite://" + path_; }

    // Holds the write lock (an open write transaction on another connection) until `release` opens.
    std::thread HoldWriteLock(std::latch& release) {
        std::promise<void> locked;
        auto is_locked = locked.get_future();
        std::thread t([&, locked = std::move(locked)]() mutable {
            holder_->Write([&](Tx& tx) {
                tx.Exec("UPDATE acct SET n = n + 1 WHERE id = 'a'");
                locked.set_value();
                release.wait();
            });
        });
        is_locked.wait();
        return t;
    }

    std::string path_;
    std::unique_ptr<Database> holder_;
};

TEST_F(SqliteBusyTest, WithoutRetriesTheWriterFailsBusy) {
    auto writer = OpenDatabase({.url = Url(), .pool_size = 1, .busy_timeout_ms = 20, .max_retries = 0});
    std::latch release(1);
    std::thread holder = HoldWriteLock(release);
    EXPECT_THROW(writer->Write([](Tx& tx) { tx.Exec("UPDATE acct SET n = n * 10 WHERE id = 'a'"); }), std::exception);
    release.count_down();
    holder.join();
    EXPECT_EQ(ValueOf(*writer, "a"), 2);
}

// On SQLite a writer takes the lock first (BEGIN IMMEDIATE), so busy ends an attempt before the unit of work
// runs: it runs once, after the lock is free. The lock is held for ten busy timeouts, which one attempt
// cannot outwait, so only a retried transaction can succeed.
TEST_F(SqliteBusyTest, BusyWriterIsRetriedUntilTheLockIsFree) {
    auto writer = OpenDatabase({.url = Url(), .pool_size = 1, .busy_timeout_ms = 20, .max_retries = 30});
    std::latch release(1);
    std::thread holder = HoldWriteLock(release);
    std::atomic<int> runs{0};
    std::promise<void> writing;
    std::thread t = Spawn([&] {
        writing.set_value();
        writer->Write([&](Tx& tx) {
            ++runs;
            tx.Exec("UPDATE acct SET n = n * 10 WHERE id = 'a'");
        });
    });
    writing.get_future().wait();
    std::this_thread::sleep_for(200ms);  // ten busy timeouts: the writer's attempts fail busy meanwhile
    release.count_down();
    holder.join();
    t.join();
    EXPECT_EQ(runs.load(), 1);
    EXPECT_EQ(ValueOf(*writer, "a"), 20);  // (1 + 1) * 10: after the holder's commit, nothing lost
}

class PostgresRetryTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!uxf::testing::TestDatabase::UsingPostgres()) GTEST_SKIP() << "needs UXFLOW_TEST_DATABASE_URL";
        db().Write([](Tx& tx) {
            tx.Exec("CREATE TABLE acct (id TEXT PRIMARY KEY, n BIGINT NOT NULL)");
            tx.Exec("INSERT INTO acct (id, n) VALUES ('a', 0), ('b', 0)");
        });
    }
    Database& db() { return tdb_.db(); }
    uxf::testing::TestDatabase tdb_{true};
};

// Two transactions lock the same two rows in opposite order; PostgreSQL aborts one (40P01), which is retried.
TEST_F(PostgresRetryTest, DeadlockVictimIsRetried) {
    std::barrier both_hold_one(2);
    std::atomic<int> runs{0};
    auto transfer = [&](const char* first, const char* second) {
        bool first_run = true;
        db().Write([&](Tx& tx) {
            ++runs;
            tx.Exec("UPDATE acct SET n = n + 1 WHERE id = :id", {first});
            if (std::exchange(first_run, false)) both_hold_one.arrive_and_wait();
            tx.Exec("UPDATE acct SET n = n + 1 WHERE id = :id", {second});
        });
    };
    std::thread ab = Spawn([&] { transfer("a", "b"); });
    std::thread ba = Spawn([&] { transfer("b", "a"); });
    ab.join();
    ba.join();
    // The victim's unit of work ran again. Its retry can take row b before the survivor wakes up to it and
    // deadlock once more (seen under load), so at least one retry, and the sums exact either way.
    EXPECT_GE(runs.load(), 3);
    EXPECT_EQ(ValueOf(db(), "a"), 2);
    EXPECT_EQ(ValueOf(db(), "b"), 2);
}

// Write skew at SERIALIZABLE: both read both rows, then each writes one. PostgreSQL fails one (40001); its
// retry sees the other's write.
TEST_F(PostgresRetryTest, SerializationFailureIsRetried) {
    std::barrier both_read(2);
    std::atomic<int> runs{0};
    auto write_sum_plus_one = [&](const char* mine) {
        bool first_run = true;
        db().Write([&](Tx& tx) {
            ++runs;
            tx.Exec("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
            std::int64_t sum = tx.QueryOne("SELECT CAST(SUM(n) AS BIGINT) FROM acct")->Int(0);
            if (std::exchange(first_run, false)) both_read.arrive_and_wait();
            tx.Exec("UPDATE acct SET n = :n WHERE id = :id", {sum + 1, mine});
        });
    };
    std::thread a = Spawn([&] { write_sum_plus_one("a"); });
    std::thread b = Spawn([&] { write_sum_plus_one("b"); });
    a.join();
    b.join();
    EXPECT_EQ(runs.load(), 3);
    // Serially: the first writes 0 + 1, the second (retried) 1 + 1. Without the failure both would write 1.
    auto a_n = ValueOf(db(), "a"), b_n = ValueOf(db(), "b");
    EXPECT_EQ(std::min(a_n, b_n), 1);
    EXPECT_EQ(std::max(a_n, b_n), 2);
}

// The port's documented contract: a db::RetryableError, whoever throws it, reruns the unit of work.
TEST(TransactionRetry, RetryableErrorFromTheUnitOfWorkIsRetried) {
    uxf::testing::TestDatabase tdb;
    int runs = 0;
    int result = tdb.db().Write([&](Tx& tx) {
        tx.QueryOne("SELECT 1");
        if (++runs < 3) throw RetryableError("transient");
        return runs;
    });
    EXPECT_EQ(runs, 3);
    EXPECT_EQ(result, 3);
}

}  // namespace
}  // namespace uxf::db
