#include "stripe_events.hpp"

#include <gtest/gtest.h>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "uxf/billing/migrations.hpp"
#include "uxf/identity/migrations.hpp"
#include "uxf/testing/test_database.hpp"

namespace uxf::billing {
namespace {

class StripeEventsTest : public ::testing::Test {
  protected:
    StripeEventsTest() {
        db::Migrate(tdb_.db(), identity::Migrations());
        db::Migrate(tdb_.db(), Migrations());
    }
    static BillingSettings Priced() {
        BillingSettings s;
        s.pro_price_id = "price_pro";
        s.team_price_id = "price_team";
        s.credits_1000_price_id = "price_c1000";
        return s;
    }

    EventResult Apply(const std::string& type, std::int64_t created, const std::string& object) {
        auto event =
            boost::json::parse(fmt::format(R"({{"id":"evt_{}","type":"{}","created":{},"data":{{"object":{}}}}})", ++n_,
                                           type, created, object))
                .as_object();
        return tdb_.db().Write([&](db::Tx& tx) {
            return ApplyStripeEvent(tx, ledger_, catalog_, event, RequestMeta{"req", "", "", ""}, clock_.Now());
        });
    }
    std::string Plan(const std::string& ws = "ws_1") {
        return tdb_.db().Read([&](db::Tx& tx) {
            auto r = tx.QueryOne("SELECT plan FROM billing_workspaces WHERE workspace_id = :w", {ws});
            return r ? r->Str(0) : "(none)";
        });
    }
    static std::string Subscription(const std::string& id, const std::string& status, const std::string& price) {
        return fmt::format(
            R"({{"id":"{}","object":"subscription","customer":"cus_1","status":"{}","cancel_at_period_end":false,)"
            R"("current_period_start":1800000000,"current_period_end":1802592000,"metadata":{{"workspace_id":"ws_1"}},)"
            R"("items":{{"object":"list","data":[{{"id":"si_1","price":{{"id":"{}"}}}}]}}}})",
            id, status, price);
    }
    static std::string Invoice(const std::string& id, const std::string& status, const std::string& price) {
        return fmt::format(
            R"({{"id":"{}","object":"invoice","customer":"cus_1","subscription":"sub_1","status":"{}","total":1900,)"
            R"("currency":"eur","created":1800000000,"hosted_invoice_url":"https://invoice.stripe.com/i/{}",)"
            R"("period_start":1797000000,"period_end":1800000000,"lines":{{"data":[{{"price":{{"id":"{}"}},)"
            R"("period":{{"start":1800000000,"end":1802592000}}}}]}}}})",
            id, status, id, price);
    }

    uxf::testing::TestDatabase tdb_;
    ManualClock clock_{1'800'000'000LL * kSecond};
    Ledger ledger_{tdb_.db(), clock_};
    BillingSettings settings_ = Priced();
    Catalog catalog_{settings_};
    int n_ = 0;
};

TEST_F(StripeEventsTest, AnOrderedSubscriptionTakesThePlanAndItsPaidInvoicesTheAllowance) {
    EXPECT_EQ(Apply("checkout.session.completed", 100,
                    R"({"id":"cs_1","mode":"subscription","customer":"cus_1","subscription":"sub_1",
                        "payment_status":"paid","client_reference_id":"ws_1","metadata":{"workspace_id":"ws_1"}})")
                  .outcome,
              "applied");
    EXPECT_EQ(Plan(), "free");  // the plan comes with the subscription itself
    EXPECT_EQ(Apply("customer.subscription.created", 101, Subscription("sub_1", "active", "price_pro")).outcome,
              "applied");
    EXPECT_EQ(Plan(), "pro");
    EXPECT_EQ(Apply("invoice.paid", 102, Invoice("in_1", "paid", "price_pro")).outcome, "applied");
    EXPECT_EQ(ledger_.Balance("ws_1"), 1000);
    // The same invoice paid again (invoice.paid re-sent under a new event id) grants nothing more.
    EXPECT_EQ(Apply("invoice.paid", 103, Invoice("in_1", "paid", "price_pro")).outcome, "applied");
    EXPECT_EQ(ledger_.Balance("ws_1"), 1000);
    // A late `finalized` (open) of that invoice does not take it back from paid.
    EXPECT_EQ(Apply("invoice.finalized", 101, Invoice("in_1", "open", "price_pro")).outcome, "stale");
    auto invoice = tdb_.db().Read([&](db::Tx& tx) {
        return *tx.QueryOne("SELECT status, amount, currency, period_start, workspace_id FROM billing_invoices");
    });
    EXPECT_EQ(invoice.Str(0), "paid");
    EXPECT_EQ(invoice.Int(1), 1900);
    EXPECT_EQ(invoice.Str(2), "eur");
    EXPECT_EQ(invoice.Int(3), 1'800'000'000LL * kSecond);  // the line's period, not the invoice's
    // Events found by the customer alone (no metadata) reach the same workspace.
    EXPECT_EQ(Apply("invoice.payment_failed", 104,
                    R"({"id":"in_2","customer":"cus_1","status":"open","total":1900,"currency":"eur"})")
                  .workspace_id,
              "ws_1");
}

// A subscription's events before its checkout (Stripe does not promise an order): the plan is right at once, and
// the checkout that arrives last changes nothing of it.
TEST_F(StripeEventsTest, EventsOutOfOrderEndInTheRightState) {
    EXPECT_EQ(Apply("customer.subscription.updated", 200, Subscription("sub_1", "active", "price_team")).outcome,
              "applied");
    EXPECT_EQ(Plan(), "team");
    EXPECT_EQ(Apply("customer.subscription.created", 199, Subscription("sub_1", "incomplete", "price_team")).outcome,
              "stale");  // older than what set the plan
    EXPECT_EQ(Plan(), "team");
    EXPECT_EQ(Apply("checkout.session.completed", 198,
                    R"({"id":"cs_1","mode":"subscription","customer":"cus_1","subscription":"sub_1",
                        "metadata":{"workspace_id":"ws_1"}})")
                  .outcome,
              "applied");
    EXPECT_EQ(Plan(), "team");

    EXPECT_EQ(Apply("customer.subscription.deleted", 300, Subscription("sub_1", "canceled", "price_team")).outcome,
              "applied");
    EXPECT_EQ(Plan(), "free");
    // A delayed update of the canceled subscription, even with the same second, does not bring it back.
    EXPECT_EQ(Apply("customer.subscription.updated", 300, Subscription("sub_1", "active", "price_team")).outcome,
              "stale");
    EXPECT_EQ(Plan(), "free");
    // Nor does its paid invoice arriving late.
    EXPECT_EQ(Apply("invoice.paid", 301, Invoice("in_9", "paid", "price_team")).outcome, "stale");
    EXPECT_EQ(Plan(), "free");

    // A new subscription, then the old one's end delivered late: the new one stays.
    EXPECT_EQ(Apply("customer.subscription.created", 400, Subscription("sub_2", "active", "price_pro")).outcome,
              "applied");
    EXPECT_EQ(Apply("customer.subscription.deleted", 401, Subscription("sub_1", "canceled", "price_team")).outcome,
              "stale");
    EXPECT_EQ(Plan(), "pro");
}

TEST_F(StripeEventsTest, CreditPacksAreCreditedOncePaid) {
    const char* unpaid = R"({"id":"cs_7","mode":"payment","customer":"cus_1","payment_status":"unpaid",
                             "metadata":{"workspace_id":"ws_1","price_key":"credits_1000"}})";
    EXPECT_EQ(Apply("checkout.session.completed", 100, unpaid).outcome, "pending");  // a bank debit, say
    EXPECT_EQ(ledger_.Balance("ws_1"), 0);
    const char* paid = R"({"id":"cs_7","mode":"payment","customer":"cus_1","payment_status":"paid",
                           "metadata":{"workspace_id":"ws_1","price_key":"credits_1000"}})";
    EXPECT_EQ(Apply("checkout.session.async_payment_succeeded", 160, paid).outcome, "applied");
    EXPECT_EQ(ledger_.Balance("ws_1"), 1000);
    EXPECT_EQ(Apply("checkout.session.completed", 170, paid).outcome, "applied");  // the same session: once
    EXPECT_EQ(ledger_.Balance("ws_1"), 1000);
    EXPECT_TRUE(ledger_.Verify().empty());
    auto audit = tdb_.db().Read([&](db::Tx& tx) {
        return tx.Query("SELECT details FROM audit_log WHERE action = 'billing.credits_purchased'");
    });
    EXPECT_EQ(audit.size(), 1u);  // one purchase, one audit entry, whichever events said it was paid
}

TEST_F(StripeEventsTest, UnknownTypesAndStrangersChangeNothing) {
    EXPECT_EQ(Apply("customer.created", 100, R"({"id":"cus_9"})").outcome, "ignored");
    EXPECT_EQ(Apply("charge.refunded", 100, R"({"id":"ch_1","customer":"cus_1"})").outcome, "ignored");
    EXPECT_EQ(Apply("invoice.paid", 100,
                    R"({"id":"in_x","customer":"cus_unknown","status":"paid","total":5,"currency":"usd"})")
                  .outcome,
              "unmatched");
    EXPECT_EQ(Apply("checkout.session.completed", 100,
                    R"({"id":"cs_x","mode":"payment","payment_status":"paid",
                        "metadata":{"workspace_id":"ws_1","price_key":"credits_999999"}})")
                  .outcome,
              "unmatched");
    EXPECT_EQ(Apply("invoice.paid", 100, R"("not an object")").outcome, "ignored");
    EXPECT_EQ(ledger_.Balance("ws_1"), 0);
    EXPECT_EQ(tdb_.db().Read([&](db::Tx& tx) { return tx.QueryOne("SELECT COUNT(*) FROM billing_invoices")->Int(0); }),
              0);
}

}  // namespace
}  // namespace uxf::billing
