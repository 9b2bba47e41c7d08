#include "uxf/billing/ledger.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "uxf/billing/migrations.hpp"
#include "uxf/identity/auth_service.hpp"
#include "uxf/identity/migrations.hpp"
#include "uxf/identity/testing.hpp"
#include "uxf/identity/workspace_service.hpp"
#include "uxf/platform/database.hpp"
#include "uxf/platform/events.hpp"
#include "uxf/testing/test_database.hpp"

namespace uxf::billing {
namespace {

class LedgerTest : public ::testing::Test {
  protected:
    explicit LedgerTest(bool concurrent = false) : tdb_(concurrent) { db::Migrate(tdb_.db(), Migrations()); }
    uxf::testing::TestDatabase tdb_;
    ManualClock clock_{1'800'000'000LL * kSecond};
    Ledger ledger_{tdb_.db(), clock_};
};

TEST_F(LedgerTest, ReservationsAreCapturedOrReleasedOnceAndTheLedgerAddsUp) {
    ASSERT_TRUE(ledger_.Grant("ws", 100, "allowance", "2027-01", "system").ok());
    auto again = ledger_.Grant("ws", 100, "allowance", "2027-01", "system");  // the same grant: nothing added
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->balance_after, 100);
    EXPECT_EQ(ledger_.Balance("ws"), 100);

    auto hold = ledger_.Reserve("ws", 30, "gen_1", "usr_a");
    ASSERT_TRUE(hold.ok());
    EXPECT_EQ(ledger_.Balance("ws"), 70);  // taken at once
    auto captured = ledger_.Capture(hold->id);
    ASSERT_TRUE(captured.ok());
    EXPECT_EQ(captured->status, HoldStatus::kCaptured);
    EXPECT_TRUE(ledger_.Capture(hold->id).ok());  // again: the same answer, nothing spent twice
    EXPECT_EQ(ledger_.Release(hold->id, "usr_a").error().slug, "hold_settled");
    EXPECT_EQ(ledger_.Balance("ws"), 70);

    auto other = ledger_.Reserve("ws", 50, "gen_2", "usr_a");
    ASSERT_TRUE(other.ok());
    ASSERT_TRUE(ledger_.Release(other->id, "usr_a").ok());
    EXPECT_TRUE(ledger_.Release(other->id, "usr_a").ok());  // once only
    EXPECT_EQ(ledger_.Capture(other->id).error().slug, "hold_settled");
    EXPECT_EQ(ledger_.Balance("ws"), 70);

    auto refused = ledger_.Reserve("ws", 71, "gen_3", "usr_a");
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::kPaymentRequired);
    EXPECT_EQ(refused.error().slug, "insufficient_credits");
    EXPECT_EQ(refused.error().numbers,
              (std::vector<std::pair<std::string, long long>>{{"balance", 70}, {"required", 71}}));
    EXPECT_EQ(ledger_.Reserve("nobody", 1, "gen_4", "usr_b").error().code, ErrorCode::kPaymentRequired);
    EXPECT_EQ(ledger_.Reserve("ws", 0, "gen_5", "usr_a").error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(ledger_.Capture("hold_unknown").error().code, ErrorCode::kNotFound);
    EXPECT_EQ(ledger_.Grant("ws", 5, "release", "x", "usr_a").error().code, ErrorCode::kInvalidInput);

    auto page = tdb_.db().Read([&](db::Tx& tx) { return ledger_.Entries(tx, "ws", 2, ""); });
    ASSERT_TRUE(page.ok());
    ASSERT_EQ(page->items.size(), 2u);
    EXPECT_EQ(page->items[0].reason, "release");  // newest first: grant, reserve, reserve, release
    EXPECT_EQ(page->items[0].seq, 4);
    EXPECT_EQ(page->items[0].balance_after, 70);
    auto rest = tdb_.db().Read([&](db::Tx& tx) { return ledger_.Entries(tx, "ws", 10, page->next_cursor); });
    ASSERT_EQ(rest->items.size(), 2u);
    EXPECT_EQ(rest->items[1].reason, "allowance");
    EXPECT_TRUE(rest->next_cursor.empty());
    EXPECT_TRUE(ledger_.Verify().empty());
}

TEST_F(LedgerTest, HoldsLeftUnsettledAreReleasedAfterTheirTimeoutOnce) {
    ASSERT_TRUE(ledger_.Grant("ws", 10, "admin", "start", "usr_admin").ok());
    auto left = ledger_.Reserve("ws", 4, "gen_crashed", "usr_a");
    auto kept = ledger_.Reserve("ws", 3, "gen_done", "usr_a");
    ASSERT_TRUE(left.ok() && kept.ok());
    ASSERT_TRUE(ledger_.Capture(kept->id).ok());
    EXPECT_EQ(ledger_.ReleaseExpired(), 0u);  // not yet
    clock_.Advance(31 * kMinute);
    EXPECT_EQ(ledger_.ReleaseExpired(), 1u);
    EXPECT_EQ(ledger_.ReleaseExpired(), 0u);
    EXPECT_EQ(ledger_.Balance("ws"), 7);
    EXPECT_EQ(ledger_.Capture(left->id).error().slug, "hold_settled");  // too late: never captured after release
    EXPECT_TRUE(ledger_.Verify().empty());
}

TEST_F(LedgerTest, VerifyNamesAWorkspaceWhoseBalanceDoesNotAddUp) {
    ASSERT_TRUE(ledger_.Grant("ws_ok", 5, "admin", "a", "usr").ok());
    ASSERT_TRUE(ledger_.Grant("ws_bad", 5, "admin", "a", "usr").ok());
    EXPECT_TRUE(ledger_.Verify().empty());
    tdb_.db().Write(
        [](db::Tx& tx) { tx.Exec("UPDATE billing_accounts SET balance = 6 WHERE workspace_id = 'ws_bad'"); });
    EXPECT_EQ(ledger_.Verify(), std::vector<std::string>{"ws_bad"});
}

// An operator's grant goes to an existing workspace only, into the ledger and the audit log together.
TEST_F(LedgerTest, OperatorGrantsAreAudited) {
    db::Migrate(tdb_.db(), identity::Migrations());
    events::InProcessEventBus bus;
    identity::AuthService auth(tdb_.db(), bus, clock_, identity::testing::FastSettings());
    identity::WorkspaceService workspaces(tdb_.db(), bus, clock_);
    auto owner = auth.Register({"owner@example.com", "correct horse battery", "Owner"}, {});
    ASSERT_TRUE(owner.ok());
    std::string ws = owner->workspace->id;
    RequestMeta op{"req_cli", "", "uxflow admin", "operator"};
    auto entry = ledger_.GrantByOperator(workspaces, ws, 25, "beta tester", op);
    ASSERT_TRUE(entry.ok());
    EXPECT_EQ(entry->reason, "admin: beta tester");
    EXPECT_EQ(ledger_.Balance(ws), 25);
    EXPECT_EQ(ledger_.GrantByOperator(workspaces, "wsp_nope", 5, "x", op).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(ledger_.GrantByOperator(workspaces, ws, 5, "", op).error().code, ErrorCode::kInvalidInput);
    auto audit = tdb_.db().Read([&](db::Tx& tx) {
        return tx.Query("SELECT details FROM audit_log WHERE action = 'billing.credits_granted' AND workspace_id = :w",
                        {ws});
    });
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].Str(0), "25 credits: beta tester");
}

class LedgerRaceTest : public LedgerTest {
  protected:
    LedgerRaceTest() : LedgerTest(true) {}
};

// 60 threads reserve 10 credits each against 250: exactly 25 succeed, the balance ends at 0, never below.
TEST_F(LedgerRaceTest, SimultaneousReservationsSucceedExactlyAsOftenAsTheBalanceAllows) {
    ASSERT_TRUE(ledger_.Grant("ws", 250, "admin", "race", "usr").ok());
    std::atomic<int> ok = 0, refused = 0, other = 0;
    std::vector<std::thread> threads;
    for (int i = 0; i < 60; ++i)
        threads.emplace_back([&, i] {
            auto hold = ledger_.Reserve("ws", 10, "gen_" + std::to_string(i), "usr");
            if (hold.ok())
                ++ok;
            else if (hold.error().slug == "insufficient_credits")
                ++refused;
            else
                ++other;
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok, 25);
    EXPECT_EQ(refused, 35);
    EXPECT_EQ(other, 0);
    EXPECT_EQ(ledger_.Balance("ws"), 0);
    EXPECT_TRUE(ledger_.Verify().empty());
}

// The same grant from 20 threads at once (two processes renewing the same month) is made once.
TEST_F(LedgerRaceTest, TheSameGrantAtTheSameMomentIsMadeOnce) {
    std::vector<std::thread> threads;
    std::atomic<int> ok = 0;
    for (int i = 0; i < 20; ++i)
        threads.emplace_back([&] { ok += ledger_.Grant("ws", 50, "allowance", "2027-02", "system").ok(); });
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok, 20);
    EXPECT_EQ(ledger_.Balance("ws"), 50);
    EXPECT_TRUE(ledger_.Verify().empty());
}

}  // namespace
}  // namespace uxf::billing
