// Two processes on one database (PostgreSQL when the tests run on it, else one SQLite file) reserving credits and
// renewing the monthly allowance at the same moment: the ledger's rules hold across processes, not only threads.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "server_process.hpp"
#include "uxf/billing/ledger.hpp"
#include "uxf/billing/migrations.hpp"
#include "uxf/core/ids.hpp"

namespace uxf::testing {
namespace {

class BillingProcesses : public ::testing::Test {
  protected:
    BillingProcesses() {
        std::filesystem::create_directories(dir_);
        url_ = ProcessDatabaseUrl(tdb_);
        if (url_.empty()) url_ = "sqlite://" + (dir_ / "uxflow.db").string();
        db::DbSettings s;
        s.url = url_;
        db_ = db::OpenDatabase(s);
        db::Migrate(*db_, billing::Migrations());
    }
    ~BillingProcesses() override { std::filesystem::remove_all(dir_); }

    // Starts both workers, lets them go at once, and returns what each printed.
    std::vector<int> RunTwo(const std::vector<std::string>& args) {
        std::filesystem::path go = dir_ / "go";
        std::vector<FILE*> pipes;
        for (int i = 0; i < 2; ++i) {
            std::string cmd = std::string(LEDGER_WORKER_BINARY) + " '" + url_ + "' '" + go.string() + "'";
            for (const auto& a : args) cmd += " " + a;
            pipes.push_back(::popen(cmd.c_str(), "r"));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(300));  // both connected and waiting
        std::ofstream(go).put('1');
        std::vector<int> out;
        for (FILE* p : pipes) {
            int n = -2;
            if (std::fscanf(p, "%d", &n) != 1) n = -3;
            ::pclose(p);
            out.push_back(n);
        }
        std::filesystem::remove(go);
        return out;
    }

    TestDatabase tdb_;
    std::filesystem::path dir_ = std::filesystem::temp_directory_path() / NewId("ledger");
    std::string url_;
    std::unique_ptr<db::Database> db_;
    ManualClock clock_{1'800'000'000LL * kSecond};
};

// 2 processes x 30 threads reserve 10 credits each against 250 granted plus the month's free 50, which the first
// reservation starts (once): exactly 30 succeed.
TEST_F(BillingProcesses, ReservationsFromTwoProcessesSucceedExactlyAsOftenAsTheBalanceAllows) {
    billing::Ledger ledger(*db_, clock_);
    ASSERT_TRUE(ledger.Grant("ws_race", 250, "admin", "race", "usr").ok());
    auto counts = RunTwo({"reserve", "ws_race", "30", "10"});
    ASSERT_EQ(counts.size(), 2u);
    EXPECT_GE(counts[0], 0);
    EXPECT_GE(counts[1], 0);
    EXPECT_EQ(counts[0] + counts[1], 30);
    EXPECT_EQ(ledger.Balance("ws_race"), 0);
    EXPECT_TRUE(ledger.Verify().empty());
}

// 2 processes x 10 threads renew the same month's allowance at once: granted once.
TEST_F(BillingProcesses, TheMonthlyAllowanceRenewsOnceUnderTwoProcesses) {
    auto counts = RunTwo({"renew", "ws_month", "10"});
    ASSERT_EQ(counts.size(), 2u);
    EXPECT_EQ(counts[0] + counts[1], 1);
    billing::Ledger ledger(*db_, clock_);
    EXPECT_EQ(ledger.Balance("ws_month"), 50);
    EXPECT_TRUE(ledger.Verify().empty());
}

}  // namespace
}  // namespace uxf::testing
