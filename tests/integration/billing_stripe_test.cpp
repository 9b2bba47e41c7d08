// The Billing section of docs/api.md with Stripe: the server talks to a local fake that speaks Stripe's wire format
// (form-encoded requests, JSON answers), and receives webhooks signed as Stripe signs them (HMAC-SHA256 over
// "t.body", computed here with OpenSSL, independently of the server's verifier).
#include <atomic>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "server_fixture.hpp"
#include "stripe_signing.hpp"
#include "uxf/testing/fake_http_server.hpp"

namespace uxf::testing {
namespace {

// Stripe's side: customers, checkout sessions and portal sessions, numbered, each request kept.
FakeResponse Stripe(const FakeRequest& r, std::atomic<int>& sessions) {
    if (r.Header("authorization") != "Bearer sk_test_fake")
        return FakeResponse::Json(R"({"error":{"type":"invalid_request_error","message":"Invalid API Key"}})", 401);
    if (r.method == "POST" && r.target == "/v1/customers")
        return FakeResponse::Json(R"({"id":"cus_test_1","object":"customer"})");
    if (r.method == "POST" && r.target == "/v1/checkout/sessions") {
        int n = ++sessions;
        return FakeResponse::Json(fmt::format(
            R"({{"id":"cs_test_{}","object":"checkout.session","url":"https://checkout.stripe.com/c/pay/cs_test_{}"}})",
            n, n));
    }
    if (r.method == "POST" && r.target == "/v1/billing_portal/sessions")
        return FakeResponse::Json(R"({"id":"bps_1","url":"https://billing.stripe.com/p/session/test_1"})");
    return FakeResponse::Json(R"({"error":{"type":"invalid_request_error","message":"Unrecognized request URL"}})",
                              404);
}

class BillingStripeTest : public ServerTest {
  protected:
    void SetUp() override {
        auto c = BaseConfig();
        c.billing.stripe_api_base = stripe_.url();
        c.billing.stripe_secret_key = "sk_test_fake";
        c.billing.stripe_webhook_secrets = {"whsec_old", "whsec_new"};
        c.billing.pro_price_id = "price_pro";
        c.billing.credits_1000_price_id = "price_c1000";
        c.billing.free_monthly_credits = 50;
        Start(c);
        owner_ = Register("owner@example.com");
        ws_ = owner_.workspace_id;
    }

    Reply Deliver(const std::string& body, const std::string& secret = "whsec_new", std::int64_t t = UnixNow()) {
        return Call("POST", "/v1/billing/stripe/webhook", body, "",
                    {{"Stripe-Signature", SignatureHeader(secret, body, t)},
                     {"Content-Type", "application/json; charset=utf-8"}});
    }
    std::string Event(const std::string& id, const std::string& type, const std::string& object,
                      std::int64_t created = UnixNow()) {
        return StripeEvent(id, type, object, created);
    }
    std::string PackSession(const std::string& id) { return PaidPackSession(id, ws_); }
    std::int64_t Balance() {
        auto r = Call("GET", "/v1/workspaces/" + ws_ + "/billing", "", owner_.access);
        EXPECT_EQ(r.status, 200) << r.raw;
        return r.body.at("credits").at("balance").as_int64();
    }

    std::atomic<int> sessions_ = 0;
    FakeHttpServer stripe_{[this](const FakeRequest& r) { return Stripe(r, sessions_); }};
    Account owner_;
    std::string ws_;
};

TEST_F(BillingStripeTest, TheSummaryShowsThePlanTheCreditsAndWhatIsForSale) {
    auto r = Call("GET", "/v1/workspaces/" + ws_ + "/billing", "", owner_.access);
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.Str("plan"), "free");
    const auto& credits = r.body.at("credits");
    EXPECT_EQ(credits.at("balance").as_int64(), 50);  // the month's free allowance, started by the first look
    EXPECT_EQ(credits.at("monthly_allowance").as_int64(), 50);
    EXPECT_EQ(credits.at("allowance_remaining").as_int64(), 50);
    EXPECT_TRUE(std::string(credits.at("renews_at").as_string()).ends_with("-01T00:00:00.000Z")) << r.raw;
    EXPECT_EQ(r.body.at("subscription").at("status").as_string(), "none");
    EXPECT_TRUE(r.body.at("subscription").at("current_period_end").is_null());
    EXPECT_EQ(boost::json::serialize(r.body.at("offers")), R"(["pro_monthly","credits_1000"])");
    EXPECT_EQ(Balance(), 50);  // looking again grants nothing

    auto viewer = Register("viewer@example.com");
    auto stranger = Register("stranger@example.com");
    ASSERT_EQ(Call("POST", "/v1/workspaces/" + ws_ + "/members",
                   Json({{"email", "viewer@example.com"}, {"role", "viewer"}}), owner_.access)
                  .status,
              201);
    for (const char* path : {"/billing", "/billing/invoices"}) {
        EXPECT_EQ(Call("GET", "/v1/workspaces/" + ws_ + path, "", viewer.access).status, 403) << path;
        EXPECT_EQ(Call("GET", "/v1/workspaces/" + ws_ + path, "", stranger.access).status, 404) << path;
    }
    EXPECT_EQ(
        Call("POST", "/v1/workspaces/" + ws_ + "/billing/checkout", Json({{"price", "credits_1000"}}), viewer.access)
            .status,
        403);
    EXPECT_EQ(Call("POST", "/v1/workspaces/" + ws_ + "/billing/portal", "", stranger.access).status, 404);
    EXPECT_EQ(stripe_.request_count(), 0u);
}

TEST_F(BillingStripeTest, CheckoutMakesOneCustomerAndRepeatsNothingUnderTheSameIdempotencyKey) {
    std::string checkout = "/v1/workspaces/" + ws_ + "/billing/checkout";
    auto first =
        Call("POST", checkout, Json({{"price", "pro_monthly"}}), owner_.access, {{"Idempotency-Key", "buy-pro-1"}});
    ASSERT_EQ(first.status, 200) << first.raw;
    EXPECT_EQ(first.Str("url"), "https://checkout.stripe.com/c/pay/cs_test_1");
    auto again =
        Call("POST", checkout, Json({{"price", "pro_monthly"}}), owner_.access, {{"Idempotency-Key", "buy-pro-1"}});
    ASSERT_EQ(again.status, 200);
    EXPECT_EQ(again.Str("url"), first.Str("url"));
    EXPECT_EQ(again.response.Header("idempotency-replayed"), "true");
    EXPECT_EQ(sessions_, 1);

    auto pack = Call("POST", checkout, Json({{"price", "credits_1000"}}), owner_.access);
    ASSERT_EQ(pack.status, 200) << pack.raw;
    auto requests = stripe_.requests();
    ASSERT_EQ(requests.size(), 3u);  // one customer, two sessions: the customer is made once
    EXPECT_EQ(requests[0].target, "/v1/customers");
    EXPECT_NE(requests[0].body.find("metadata[workspace_id]=" + ws_), std::string::npos) << requests[0].body;
    const auto& sub = requests[1];
    EXPECT_EQ(sub.Header("stripe-version"), "2024-06-20");
    EXPECT_FALSE(sub.Header("idempotency-key").empty());
    for (const std::string& part :
         std::vector<std::string>{"customer=cus_test_1", "mode=subscription", "line_items[0][price]=price_pro",
                                  "line_items[0][quantity]=1", "subscription_data[metadata][workspace_id]=" + ws_})
        EXPECT_NE(sub.body.find(part), std::string::npos) << part << " in " << sub.body;
    EXPECT_NE(requests[2].body.find("mode=payment"), std::string::npos);
    EXPECT_NE(requests[2].Header("idempotency-key"), sub.Header("idempotency-key"));

    auto unknown = Call("POST", checkout, Json({{"price", "team_monthly"}}), owner_.access);  // no price set
    EXPECT_EQ(unknown.status, 400);
    EXPECT_EQ(Call("POST", checkout, Json({{"price", 5}}), owner_.access).status, 400);
    auto portal = Call("POST", "/v1/workspaces/" + ws_ + "/billing/portal", "", owner_.access);
    ASSERT_EQ(portal.status, 200) << portal.raw;
    EXPECT_EQ(portal.Str("url"), "https://billing.stripe.com/p/session/test_1");
}

TEST_F(BillingStripeTest, StripeRefusingIsA502AndNothingIsKept) {
    stripe_.SetHandler([](const FakeRequest&) {
        return FakeResponse::Json(
            R"({"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such price"}})", 400);
    });
    auto r =
        Call("POST", "/v1/workspaces/" + ws_ + "/billing/checkout", Json({{"price", "pro_monthly"}}), owner_.access);
    EXPECT_EQ(r.status, 502) << r.raw;
    EXPECT_EQ(r.Str("code"), "stripe_error");
    EXPECT_NE(r.Str("detail").find("No such price"), std::string::npos);
}

TEST_F(BillingStripeTest, SignedEventsApplyOnceAndBadSignaturesDoNothing) {
    ASSERT_EQ(Balance(), 50);
    std::string body = Event("evt_pack_1", "checkout.session.completed", PackSession("cs_paid_1"));
    auto r = Deliver(body);
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.Str("outcome"), "applied");
    EXPECT_EQ(Balance(), 1050);
    auto dup = Deliver(body, "whsec_old");  // delivered again, signed with the secret being rotated out
    ASSERT_EQ(dup.status, 200) << dup.raw;
    EXPECT_EQ(dup.Str("outcome"), "duplicate");
    EXPECT_EQ(Balance(), 1050);

    std::string other = Event("evt_pack_2", "checkout.session.completed", PackSession("cs_paid_2"));
    std::string tampered = other;
    tampered.replace(tampered.find("credits_1000"), 12, "credits_5000");
    auto header = SignatureHeader("whsec_new", other, UnixNow());
    for (const auto& [what, reply] : std::vector<std::pair<std::string, Reply>>{
             {"tampered body",
              Call("POST", "/v1/billing/stripe/webhook", tampered, "", {{"Stripe-Signature", header}})},
             {"wrong secret", Deliver(other, "whsec_wrong")},
             {"stale", Deliver(other, "whsec_new", UnixNow() - 301)},
             {"future", Deliver(other, "whsec_new", UnixNow() + 301)},
             {"no header", Call("POST", "/v1/billing/stripe/webhook", other)},
         }) {
        EXPECT_EQ(reply.status, 400) << what << ": " << reply.raw;
        EXPECT_EQ(reply.Str("code"), "invalid_signature") << what;
    }
    EXPECT_EQ(Balance(), 1050);
    auto db = db::OpenDatabase(config_.db);
    EXPECT_EQ(db->Read([](db::Tx& tx) {
        return tx.QueryOne("SELECT COUNT(*) FROM audit_log WHERE action = 'billing.webhook_rejected'")->Int(0);
    }),
              5);
    auto metrics = Call("GET", "/metrics");
    EXPECT_NE(metrics.raw.find(R"(uxflow_stripe_webhook_events_total{type="",outcome="rejected"} 5)"),
              std::string::npos)
        << metrics.raw.substr(0, 3000);
    EXPECT_NE(metrics.raw.find("uxflow_credits_granted_total 1050"), std::string::npos);  // 50 free, 1000 bought

    // Unknown types are acknowledged and change nothing; a signed body that is no event is refused.
    auto unknown = Deliver(Event("evt_x", "customer.tax_id.created", R"({"id":"txi_1"})"));
    EXPECT_EQ(unknown.status, 200);
    EXPECT_EQ(unknown.Str("outcome"), "ignored");
    EXPECT_EQ(Deliver("[1,2]").status, 400);
}

// Stripe may deliver one event to two processes at the same moment: it is applied once.
TEST_F(BillingStripeTest, OneEventDeliveredManyTimesAtOnceIsAppliedOnce) {
    ASSERT_EQ(Balance(), 50);
    std::string body = Event("evt_race", "checkout.session.completed", PackSession("cs_race"));
    std::vector<std::thread> threads;
    std::mutex mu;
    std::map<std::string, int> outcomes;
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&] {
            http::HttpClient client;
            auto sig = SignatureHeader("whsec_new", body, UnixNow());
            auto resp = client.Send({"POST",
                                     base_ + "/v1/billing/stripe/webhook",
                                     {{"Stripe-Signature", sig}, {"Content-Type", "application/json"}},
                                     body,
                                     15000});
            auto parsed = boost::json::parse(resp.body);
            std::lock_guard lock(mu);
            ++outcomes[std::to_string(resp.status) + " " + std::string(parsed.at("outcome").as_string())];
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(outcomes["200 applied"], 1);
    EXPECT_EQ(outcomes["200 duplicate"], 7);
    EXPECT_EQ(Balance(), 1050);
}

TEST_F(BillingStripeTest, ASubscriptionsEventsSetThePlanAndItsInvoicesAreListed) {
    std::int64_t t = UnixNow();
    std::string sub =
        fmt::format(R"({{"id":"sub_1","object":"subscription","customer":"cus_test_1","status":"active",)"
                    R"("cancel_at_period_end":false,"current_period_start":{},"current_period_end":{},)"
                    R"("metadata":{{"workspace_id":"{}"}},"items":{{"data":[{{"price":{{"id":"price_pro"}}}}]}}}})",
                    t, t + 30 * 86400, ws_);
    // The subscription's update before its checkout: Stripe does not promise an order.
    ASSERT_EQ(Deliver(Event("evt_s1", "customer.subscription.updated", sub, t)).Str("outcome"), "applied");
    ASSERT_EQ(Deliver(Event("evt_c1", "checkout.session.completed",
                            fmt::format(R"({{"id":"cs_s","mode":"subscription","customer":"cus_test_1",)"
                                        R"("subscription":"sub_1","metadata":{{"workspace_id":"{}"}}}})",
                                        ws_),
                            t - 5))
                  .Str("outcome"),
              "applied");
    std::string invoice = fmt::format(
        R"({{"id":"in_1","object":"invoice","customer":"cus_test_1","subscription":"sub_1","status":"paid",)"
        R"("total":1900,"currency":"eur","created":{},"hosted_invoice_url":"https://invoice.stripe.com/i/in_1",)"
        R"("lines":{{"data":[{{"price":{{"id":"price_pro"}},"period":{{"start":{},"end":{}}}}}]}}}})",
        t, t, t + 30 * 86400);
    ASSERT_EQ(Deliver(Event("evt_i1", "invoice.paid", invoice, t)).Str("outcome"), "applied");

    auto r = Call("GET", "/v1/workspaces/" + ws_ + "/billing", "", owner_.access);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.Str("plan"), "pro");
    EXPECT_EQ(r.body.at("credits").at("balance").as_int64(), 1000);  // the pro allowance; nothing free on top
    EXPECT_EQ(r.body.at("credits").at("monthly_allowance").as_int64(), 1000);
    EXPECT_EQ(r.body.at("subscription").at("status").as_string(), "active");
    EXPECT_EQ(r.body.at("subscription").at("current_period_end").as_string(),
              r.body.at("credits").at("renews_at").as_string());
    auto checkout =
        Call("POST", "/v1/workspaces/" + ws_ + "/billing/checkout", Json({{"price", "pro_monthly"}}), owner_.access);
    EXPECT_EQ(checkout.status, 409);
    EXPECT_EQ(checkout.Str("code"), "already_subscribed");

    auto invoices = Call("GET", "/v1/workspaces/" + ws_ + "/billing/invoices", "", owner_.access);
    ASSERT_EQ(invoices.status, 200) << invoices.raw;
    const auto& items = invoices.body.at("items").as_array();
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0].at("id").as_string(), "in_1");
    EXPECT_EQ(items[0].at("amount").as_int64(), 1900);
    EXPECT_EQ(items[0].at("currency").as_string(), "eur");
    EXPECT_EQ(items[0].at("status").as_string(), "paid");
    EXPECT_EQ(items[0].at("hosted_invoice_url").as_string(), "https://invoice.stripe.com/i/in_1");
    EXPECT_TRUE(items[0].at("period_end").is_string());

    ASSERT_EQ(Deliver(Event("evt_s2", "customer.subscription.deleted", sub, t + 10)).Str("outcome"), "applied");
    EXPECT_EQ(Call("GET", "/v1/workspaces/" + ws_ + "/billing", "", owner_.access).Str("plan"), "free");
}

class BillingUnconfiguredTest : public ServerTest {
  protected:
    void SetUp() override { Start(BaseConfig()); }
};

// Without Stripe's keys, buying answers 503 and says what to set; credits work all the same.
TEST_F(BillingUnconfiguredTest, WithoutStripeCheckoutAndWebhooksSayWhatIsMissing) {
    auto owner = Register("owner@example.com");
    std::string base = "/v1/workspaces/" + owner.workspace_id + "/billing";
    auto checkout = Call("POST", base + "/checkout", Json({{"price", "pro_monthly"}}), owner.access);
    EXPECT_EQ(checkout.status, 503);
    EXPECT_EQ(checkout.Str("code"), "billing_not_configured");
    EXPECT_EQ(Call("POST", base + "/portal", "", owner.access).Str("code"), "billing_not_configured");
    auto hook = Call("POST", "/v1/billing/stripe/webhook", R"({"id":"evt_1","type":"x"})", "",
                     {{"Stripe-Signature", "t=1,v1=00"}});
    EXPECT_EQ(hook.status, 503);
    auto summary = Call("GET", base, "", owner.access);
    ASSERT_EQ(summary.status, 200);
    EXPECT_EQ(summary.body.at("offers").as_array().size(), 0u);
    EXPECT_EQ(summary.body.at("credits").at("balance").as_int64(), 50);
}

}  // namespace
}  // namespace uxf::testing
