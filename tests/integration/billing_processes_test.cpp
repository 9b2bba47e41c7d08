// Two processes on one database (PostgreSQL when the tests run on it, else one SQLite file) reserving credits and
// renewing the monthly allowance at the same moment: the ledger's rules hold across processes, not only threads.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include <boost/json.hpp>

#include <gtest/gtest.h>

#include "server_process.hpp"
#include "stripe_signing.hpp"
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

// Stripe delivers an event to whichever instance the load balancer picks, and again when it saw no answer: 20
// events, each delivered to two `uxflow serve` processes twice at the same moment, are applied once each.
TEST_F(BillingProcesses, OneEventDeliveredToTwoProcessesAtOnceIsAppliedOnce) {
    Env stripe{{"UXFLOW_STRIPE_WEBHOOK_SECRET", "whsec_procs"}, {"UXFLOW_FREE_MONTHLY_CREDITS", "0"}};
    std::string db_url = ProcessDatabaseUrl(tdb_);
    const auto& data = dir_;  // on SQLite the servers share the fixture's file, dir_/uxflow.db
    ServerProcess a(data, FreePort(), db_url, stripe), b(data, FreePort(), db_url, stripe);
    std::map<std::string, int> outcomes;
    std::mutex mu;
    for (int e = 0; e < 20; ++e) {
        std::string body = StripeEvent(fmt::format("evt_p{}", e), "checkout.session.completed",
                                       PaidPackSession(fmt::format("cs_p{}", e), "ws_procs"));
        std::vector<std::thread> senders;
        for (ServerProcess* s : {&a, &b, &a, &b})
            senders.emplace_back([&, s] {
                http::HttpClient client;
                auto r = client.Send(
                    {"POST",
                     s->base() + "/v1/billing/stripe/webhook",
                     {{"Stripe-Signature", SignatureHeader("whsec_procs", body)}, {"Content-Type", "application/json"}},
                     body,
                     10000});
                std::string outcome = r.status == 200
                                          ? std::string(boost::json::parse(r.body).at("outcome").as_string())
                                          : std::to_string(r.status) + " " + r.body;
                std::lock_guard lock(mu);
                ++outcomes[outcome];
            });
        for (auto& t : senders) t.join();
    }
    EXPECT_EQ(outcomes["applied"], 20);
    EXPECT_EQ(outcomes["duplicate"], 60);
    EXPECT_EQ(outcomes.size(), 2u);
    billing::Ledger ledger(*db_, clock_);
    EXPECT_EQ(ledger.Balance("ws_procs"), 20 * 1000);
    EXPECT_TRUE(ledger.Verify().empty());
}

}  // namespace
}  // namespace uxf::testing
