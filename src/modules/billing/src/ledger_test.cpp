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
    ASSERT_TRUE(ledger_.Grant("ws", 100, "purchase", "cs_2027_01", "system").ok());
    auto again = ledger_.Grant("ws", 100, "purchase", "cs_2027_01", "system");  // the same grant: nothing added
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
    EXPECT_EQ(rest->items[1].reason, "purchase");
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

class AllowanceTest : public LedgerTest {
  protected:
    Ledger free_{tdb_.db(), clock_, {.free_monthly_credits = 50}};
    Credits CreditsOf(const std::string& ws) {
        return tdb_.db().Read([&](db::Tx& tx) { return free_.CreditsOf(tx, ws); });
    }
};

// A free workspace's allowance starts with its first reservation of the month, is spent before purchased credits,
// and what is left of it expires with the next month's; a hold's allowance goes back only within its month.
TEST_F(AllowanceTest, TheFreeAllowanceRenewsMonthlyIsSpentFirstAndExpires) {
    auto first = free_.Reserve("ws", 20, "gen_1", "usr");  // 2027-01: the allowance comes first
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(first->from_allowance, 20);
    ASSERT_TRUE(free_.Capture(first->id).ok());
    ASSERT_TRUE(free_.Grant("ws", 100, "purchase", "cs_1", "stripe").ok());
    EXPECT_EQ(CreditsOf("ws").balance, 130);
    EXPECT_EQ(CreditsOf("ws").allowance, 30);
    EXPECT_EQ(CreditsOf("ws").period, "free:2027-01");

    auto straddling = free_.Reserve("ws", 40, "gen_2", "usr");  // 30 from the allowance, 10 purchased
    ASSERT_TRUE(straddling.ok());
    EXPECT_EQ(straddling->from_allowance, 30);
    EXPECT_EQ(CreditsOf("ws").allowance, 0);

    clock_.Advance(31 * 24 * 3600 * kSecond);  // 2027-02: 50 new credits
    ASSERT_TRUE(free_.Reserve("ws", 1, "gen_3", "usr").ok());
    EXPECT_EQ(CreditsOf("ws").balance, 90 + 50 - 1);
    EXPECT_EQ(CreditsOf("ws").allowance, 49);
    // January's hold released in February: its January allowance expired meanwhile; the purchased 10 come back.
    ASSERT_TRUE(free_.Release(straddling->id, "usr").ok());
    EXPECT_EQ(CreditsOf("ws").balance, 149);
    EXPECT_EQ(CreditsOf("ws").allowance, 49);

    clock_.Advance(31 * 24 * 3600 * kSecond);  // 2027-03: the 49 left expire, 50 come
    ASSERT_TRUE(tdb_.db().Write([&](db::Tx& tx) { return free_.RenewFreeAllowance(tx, "ws"); }));
    EXPECT_FALSE(tdb_.db().Write([&](db::Tx& tx) { return free_.RenewFreeAllowance(tx, "ws"); }));  // once
    EXPECT_EQ(CreditsOf("ws").balance, 150);
    EXPECT_EQ(CreditsOf("ws").allowance, 50);
    auto page = tdb_.db().Read([&](db::Tx& tx) { return free_.Entries(tx, "ws", 2, ""); });
    EXPECT_EQ(page->items[0].reason, "allowance");
    EXPECT_EQ(page->items[1].reason, "allowance_expired");
    EXPECT_EQ(page->items[1].delta, -49);
    EXPECT_EQ(page->items[1].reference, "free:2027-02");
    EXPECT_TRUE(free_.Verify().empty());
}

// A workspace on a paid plan gets its allowance from its paid invoices, not the free one; a period's allowance is
// granted once even when the workspace comes back to it (pro for a day, then free again in the same month).
TEST_F(AllowanceTest, PaidPlansRenewThroughTheirInvoicesOnce) {
    tdb_.db().Write([&](db::Tx& tx) {
        tx.Exec(
            "INSERT INTO billing_workspaces (workspace_id, plan, subscription_status, price_id, "
            "cancel_at_period_end, subscription_event_at, updated_at) VALUES ('ws', 'pro', 'active', 'price_pro', 0, "
            "0, 0)");
    });
    EXPECT_EQ(free_.Reserve("ws", 1, "gen_1", "usr").error().code, ErrorCode::kPaymentRequired);
    ASSERT_TRUE(
        tdb_.db().Write([&](db::Tx& tx) { return free_.RenewAllowance(tx, "ws", "invoice:in_1", 1000, "stripe"); }));
    EXPECT_EQ(CreditsOf("ws").allowance, 1000);
    tdb_.db().Write([&](db::Tx& tx) { tx.Exec("UPDATE billing_workspaces SET plan = 'free'"); });
    ASSERT_TRUE(free_.Reserve("ws", 1, "gen_2", "usr").ok());  // back on free: the pro allowance expires
    EXPECT_EQ(CreditsOf("ws").balance, 49);
    ASSERT_TRUE(
        tdb_.db().Write([&](db::Tx& tx) { return free_.RenewAllowance(tx, "ws", "invoice:in_2", 1000, "stripe"); }));
    ASSERT_TRUE(tdb_.db().Write([&](db::Tx& tx) { return free_.RenewFreeAllowance(tx, "ws"); }));
    EXPECT_EQ(CreditsOf("ws").balance, 0);  // January's free allowance was granted already: not again
    EXPECT_TRUE(free_.Verify().empty());
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
        threads.emplace_back([&] { ok += ledger_.Grant("ws", 50, "purchase", "cs_2027_02", "system").ok(); });
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok, 20);
    EXPECT_EQ(ledger_.Balance("ws"), 50);
    EXPECT_TRUE(ledger_.Verify().empty());
}

// Two processes renewing the same month at the same moment grant it once (here 20 threads on one database).
TEST_F(LedgerRaceTest, TheAllowanceRenewsOnceWhenRenewedAtTheSameMoment) {
    Ledger free{tdb_.db(), clock_, {.free_monthly_credits = 50}};
    std::vector<std::thread> threads;
    std::atomic<int> renewed = 0;
    for (int i = 0; i < 20; ++i)
        threads.emplace_back(
            [&] { renewed += tdb_.db().Write([&](db::Tx& tx) { return free.RenewFreeAllowance(tx, "ws"); }); });
    for (auto& t : threads) t.join();
    EXPECT_EQ(renewed, 1);
    EXPECT_EQ(free.Balance("ws"), 50);
    EXPECT_TRUE(free.Verify().empty());
}

}  // namespace
}  // namespace uxf::billing
