// The Stripe client against a fake server speaking Stripe's wire format: form bodies, headers, error objects.
#include "stripe/client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>

#include "uxf/platform/json_text.hpp"
#include "uxf/testing/fake_http_server.hpp"

namespace uxf::billing::stripe {
namespace {

using std::chrono::milliseconds;
using uxf::testing::FakeHttpServer;
using uxf::testing::FakeRequest;
using uxf::testing::FakeResponse;
namespace json = boost::json;

constexpr char kKey[] = "sk_test_51Secret0123456789";

struct Sleeps {
    std::mutex mu;
    std::vector<milliseconds> waits;
    http::RetryHooks Hooks() {
        http::RetryHooks h;
        h.sleep = [this](milliseconds d) {
            std::lock_guard lock(mu);
            waits.push_back(d);
        };
        h.on_retry = [](int, milliseconds, const std::string&) {};
        return h;
    }
};

ClientSettings Settings(const FakeHttpServer& server, std::string key = kKey) {
    ClientSettings s;
    s.api_base = server.url();
    s.secret_key = std::move(key);
    s.timeout_ms = 5'000;
    s.retry.base_delay_ms = 10;
    return s;
}

FakeResponse StripeJson(json::object body, int status = 200) {
    auto r = FakeResponse::Json(json_text::Write(body), status);
    r.headers.emplace_back("Request-Id", "req_test123");
    return r;
}

FakeResponse StripeError(int status, json::object error) { return StripeJson({{"error", std::move(error)}}, status); }

TEST(StripeClient, CreateCustomerSendsStripesHeadersAndForm) {
    FakeHttpServer server([](const FakeRequest&) { return StripeJson({{"id", "cus_123"}, {"object", "customer"}}); });
    Client client(Settings(server));
    auto id = client.CreateCustomer({"wsp_1", "Zoë & Co", "owner@example.com"}, "idem-1");
    ASSERT_TRUE(id) << id.error().message;
    EXPECT_EQ(*id, "cus_123");
    auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    const auto& r = requests[0];
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.target, "/v1/customers");
    EXPECT_EQ(r.Header("authorization"), std::string("Bearer ") + kKey);
    EXPECT_EQ(r.Header("stripe-version"), "2024-06-20");
    EXPECT_EQ(r.Header("idempotency-key"), "idem-1");
    EXPECT_EQ(r.Header("content-type"), "application/x-www-form-urlencoded");
    EXPECT_EQ(r.body, "name=Zo%C3%AB%20%26%20Co&email=owner%40example.com&metadata[workspace_id]=wsp_1");
}

TEST(StripeClient, CustomerWithoutNameOrEmailSendsOnlyTheWorkspace) {
    FakeHttpServer server([](const FakeRequest&) { return StripeJson({{"id", "cus_9"}}); });
    Client client(Settings(server));
    ASSERT_TRUE(client.CreateCustomer({"wsp_1", "", ""}, "idem"));
    EXPECT_EQ(server.requests().at(0).body, "metadata[workspace_id]=wsp_1");
}

TEST(StripeClient, SubscriptionCheckoutCarriesTheWorkspaceEverywhere) {
    FakeHttpServer server([](const FakeRequest&) {
        return StripeJson({{"id", "cs_test_1"}, {"url", "https://checkout.stripe.com/c/pay/cs_test_1"}});
    });
    Client client(Settings(server));
    auto session = client.CreateCheckoutSession({"cus_1", "price_123", "subscription", "https://app.example/ok?s=1",
                                                 "https://app.example/cancel", "wsp_1", "pro_monthly"},
                                                "idem-co");
    ASSERT_TRUE(session) << session.error().message;
    EXPECT_EQ(session->id, "cs_test_1");
    EXPECT_EQ(session->url, "https://checkout.stripe.com/c/pay/cs_test_1");
    const auto r = server.requests().at(0);
    EXPECT_EQ(r.target, "/v1/checkout/sessions");
    EXPECT_EQ(r.body,
              "customer=cus_1&mode=subscription&line_items[0][price]=price_123&line_items[0][quantity]=1"
              "&success_url=https%3A%2F%2Fapp.example%2Fok%3Fs%3D1&cancel_url=https%3A%2F%2Fapp.example%2Fcancel"
              "&client_reference_id=wsp_1&metadata[workspace_id]=wsp_1&metadata[price_key]=pro_monthly"
              "&subscription_data[metadata][workspace_id]=wsp_1&subscription_data[metadata][price_key]=pro_monthly");
}

TEST(StripeClient, PaymentCheckoutPutsTheWorkspaceOnThePaymentIntent) {
    FakeHttpServer server([](const FakeRequest&) { return StripeJson({{"id", "cs_2"}, {"url", "https://c/2"}}); });
    Client client(Settings(server));
    ASSERT_TRUE(client.CreateCheckoutSession(
        {"cus_1", "price_9", "payment", "https://a/ok", "https://a/no", "wsp_7", "credits_1000"}, "idem"));
    EXPECT_EQ(server.requests().at(0).body,
              "customer=cus_1&mode=payment&line_items[0][price]=price_9&line_items[0][quantity]=1"
              "&success_url=https%3A%2F%2Fa%2Fok&cancel_url=https%3A%2F%2Fa%2Fno&client_reference_id=wsp_7"
              "&metadata[workspace_id]=wsp_7&metadata[price_key]=credits_1000"
              "&payment_intent_data[metadata][workspace_id]=wsp_7");
    EXPECT_THROW((void)client.CreateCheckoutSession({"cus_1", "price_9", "setup"}, "idem"), std::invalid_argument);
}

TEST(StripeClient, PortalSessionReturnsItsUrl) {
    FakeHttpServer server([](const FakeRequest&) {
        return StripeJson({{"id", "bps_1"}, {"url", "https://billing.stripe.com/p/session/x"}});
    });
    Client client(Settings(server));
    auto url = client.CreatePortalSession("cus_1", "https://app.example/billing", "idem-p");
    ASSERT_TRUE(url) << url.error().message;
    EXPECT_EQ(*url, "https://billing.stripe.com/p/session/x");
    const auto r = server.requests().at(0);
    EXPECT_EQ(r.target, "/v1/billing_portal/sessions");
    EXPECT_EQ(r.body, "customer=cus_1&return_url=https%3A%2F%2Fapp.example%2Fbilling");
}

TEST(StripeClient, GetSendsTheQueryAndNoIdempotencyKey) {
    FakeHttpServer server([](const FakeRequest&) { return StripeJson({{"id", "sub_1"}, {"status", "active"}}); });
    auto settings = Settings(server);
    settings.api_base += "/";  // written either way
    Client client(settings);
    auto sub = client.Get("/v1/subscriptions/sub_1", {{"expand", json::array{"customer"}}});
    ASSERT_TRUE(sub) << sub.error().message;
    EXPECT_EQ(sub->at("status").as_string(), "active");
    const auto r = server.requests().at(0);
    EXPECT_EQ(r.method, "GET");
    EXPECT_EQ(r.target, "/v1/subscriptions/sub_1?expand[0]=customer");
    EXPECT_EQ(r.Header("idempotency-key"), "");
    EXPECT_EQ(r.Header("authorization"), std::string("Bearer ") + kKey);
    EXPECT_EQ(r.Header("stripe-version"), kApiVersion);
}

TEST(StripeClient, RetriesServerErrorsRateLimitsAndDropsWithTheSameIdempotencyKey) {
    std::atomic<int> n = 0;
    FakeHttpServer server([&n](const FakeRequest&) {
        // The drop first, on a fresh connection: on a reused one, libcurl itself sends once more unasked.
        switch (n++) {
            case 0: {
                FakeResponse drop;
                drop.drop = true;
                return drop;
            }
            case 1:
                return StripeError(500, {{"type", "api_error"}, {"message", "Something went wrong"}});
            case 2: {
                auto r = StripeError(429, {{"type", "invalid_request_error"}, {"code", "rate_limit"}});
                r.headers.emplace_back("Retry-After", "1");
                return r;
            }
            default:
                return StripeJson({{"id", "cus_ok"}});
        }
    });
    Sleeps sleeps;
    auto settings = Settings(server);
    settings.retry.max_attempts = 4;
    Client client(settings, sleeps.Hooks());
    auto id = client.CreateCustomer({"wsp_1", "", ""}, "idem-retry");
    ASSERT_TRUE(id) << id.error().message;
    EXPECT_EQ(*id, "cus_ok");
    auto requests = server.requests();
    ASSERT_EQ(requests.size(), 4u);
    for (const auto& r : requests) {
        EXPECT_EQ(r.Header("idempotency-key"), "idem-retry");
        EXPECT_EQ(r.body, "metadata[workspace_id]=wsp_1");
    }
    ASSERT_EQ(sleeps.waits.size(), 3u);
    EXPECT_EQ(sleeps.waits[2], milliseconds(1000));  // Retry-After, within max_delay_ms
}

TEST(StripeClient, ServerErrorsUntilTheTriesRunOutAreUnavailable) {
    FakeHttpServer server([](const FakeRequest&) {
        return StripeError(503, {{"type", "api_error"}, {"message", "Stripe is down for maintenance"}});
    });
    Sleeps sleeps;
    Client client(Settings(server), sleeps.Hooks());
    auto r = client.Post("/v1/customers", {}, "idem");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(r.error().slug, "stripe_unavailable");
    EXPECT_NE(r.error().message.find("Stripe is down for maintenance"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("after 3 tries"), std::string::npos) << r.error().message;
    EXPECT_EQ(server.request_count(), 3u);
    EXPECT_EQ(sleeps.waits.size(), 2u);
}

TEST(StripeClient, DroppedConnectionsUntilTheTriesRunOutAreUnavailable) {
    FakeHttpServer server([](const FakeRequest&) {
        FakeResponse drop;
        drop.drop = true;
        return drop;
    });
    Sleeps sleeps;
    Client client(Settings(server), sleeps.Hooks());
    auto r = client.Get("/v1/customers/cus_1");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(r.error().slug, "stripe_unavailable");
    EXPECT_EQ(server.request_count(), 3u);
}

TEST(StripeClient, ClientErrorsAreNotRetriedAndCarryStripesMessage) {
    FakeHttpServer server([](const FakeRequest&) {
        return StripeError(400, {{"type", "invalid_request_error"},
                                 {"code", "resource_missing"},
                                 {"param", "line_items[0][price]"},
                                 {"message", "No such price: 'price_nope'"},
                                 {"request_log_url", "https://dashboard.stripe.com/test/logs/req_x"}});
    });
    Sleeps sleeps;
    Client client(Settings(server), sleeps.Hooks());
    auto r = client.CreateCheckoutSession({"cus_1", "price_nope", "subscription", "https://a", "https://b", "w", "k"},
                                          "idem");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kBadGateway);
    EXPECT_EQ(r.error().slug, "stripe_error");
    EXPECT_EQ(r.error().message,
              "Stripe answered HTTP 400: No such price: 'price_nope' (code: resource_missing, param: "
              "line_items[0][price]) [request req_test123]");
    EXPECT_EQ(server.request_count(), 1u);
    EXPECT_TRUE(sleeps.waits.empty());
}

TEST(StripeClient, StripeShouldRetryOverridesTheStatus) {
    // false: a 500 Stripe says a retry would not help is not retried.
    FakeHttpServer no([](const FakeRequest&) {
        auto r = StripeError(500, {{"type", "api_error"}, {"message", "replayed"}});
        r.headers.emplace_back("Stripe-Should-Retry", "false");
        return r;
    });
    Sleeps sleeps;
    Client client(Settings(no), sleeps.Hooks());
    auto r = client.Post("/v1/customers", {}, "idem");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().slug, "stripe_unavailable");
    EXPECT_EQ(no.request_count(), 1u);

    // true: a 409 (another request with this key still running) is retried, and goes through.
    std::atomic<int> n = 0;
    FakeHttpServer yes([&n](const FakeRequest&) {
        if (n++ > 0) return StripeJson({{"id", "cus_2"}});
        auto r = StripeError(409, {{"type", "idempotency_error"}, {"message", "concurrent request"}});
        r.headers.emplace_back("Stripe-Should-Retry", "true");
        return r;
    });
    Client again(Settings(yes), sleeps.Hooks());
    auto id = again.CreateCustomer({"wsp", "", ""}, "idem-409");
    ASSERT_TRUE(id) << id.error().message;
    EXPECT_EQ(*id, "cus_2");
    EXPECT_EQ(yes.request_count(), 2u);
}

TEST(StripeClient, ARefusedKeyIsABadGatewayThatNeverShowsTheKey) {
    // A fake that echoes the whole key back in every part of its error object.
    FakeHttpServer server([](const FakeRequest& r) {
        std::string auth = r.Header("authorization");
        return StripeError(401, {{"type", "invalid_request_error"},
                                 {"code", auth},
                                 {"message", "Invalid API Key provided: " + auth.substr(7)}});
    });
    Client client(Settings(server));
    auto r = client.Post("/v1/customers", {}, "idem");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kBadGateway);
    EXPECT_EQ(r.error().slug, "stripe_error");
    EXPECT_NE(r.error().message.find("Stripe refused the API key"), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.find(kKey), std::string::npos) << r.error().message;
    EXPECT_EQ(server.request_count(), 1u);
}

TEST(StripeClient, NoErrorMessageEverShowsTheKey) {
    for (int status : {400, 402, 404, 429, 500}) {
        FakeHttpServer server([status](const FakeRequest& r) {
            return StripeError(status,
                               {{"message", "you sent " + r.Header("authorization")}, {"param", std::string(kKey)}});
        });
        Sleeps sleeps;
        Client client(Settings(server), sleeps.Hooks());
        auto r = client.Post("/v1/customers", {}, "idem");
        ASSERT_FALSE(r) << status;
        EXPECT_EQ(r.error().message.find(kKey), std::string::npos) << status << ": " << r.error().message;
        EXPECT_NE(r.error().message.find("you sent Bearer ***"), std::string::npos) << r.error().message;
    }
}

TEST(StripeClient, AnswersThatAreNotJsonObjectsAreBadGateways) {
    for (const auto& answer : std::vector<std::pair<int, std::string>>{
             {200, "<html>ok</html>"}, {200, "[1,2]"}, {200, ""}, {404, "Not Found"}, {400, "{\"error\":"}}) {
        const std::string& body = answer.second;
        FakeHttpServer server([answer](const FakeRequest&) { return FakeResponse{answer.first, {}, answer.second}; });
        Client client(Settings(server));
        auto r = client.Get("/v1/customers/cus_1");
        ASSERT_FALSE(r) << body;
        EXPECT_EQ(r.error().code, ErrorCode::kBadGateway) << body;
        EXPECT_EQ(r.error().slug, "stripe_error") << body;
    }
    FakeHttpServer server([](const FakeRequest&) { return StripeJson({{"object", "customer"}}); });
    Client client(Settings(server));
    auto id = client.CreateCustomer({"wsp", "", ""}, "idem");
    ASSERT_FALSE(id);
    EXPECT_EQ(id.error().slug, "stripe_error");
}

TEST(StripeClient, NotConfiguredSendsNothing) {
    FakeHttpServer server([](const FakeRequest&) { return StripeJson({{"id", "cus_1"}}); });
    Client client(Settings(server, ""));
    EXPECT_FALSE(client.configured());
    for (auto r : {client.Post("/v1/customers", {}, "idem"), client.Get("/v1/customers/cus_1")}) {
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
        EXPECT_EQ(r.error().slug, "billing_not_configured");
        EXPECT_EQ(r.error().message, "billing is not configured: set UXFLOW_STRIPE_SECRET_KEY");
    }
    EXPECT_FALSE(client.CreatePortalSession("cus_1", "https://a", "idem"));
    EXPECT_EQ(server.request_count(), 0u);
}

TEST(StripeClient, APostWithoutIdempotencyKeyIsABug) {
    FakeHttpServer server([](const FakeRequest&) { return StripeJson({{"id", "cus_1"}}); });
    Client client(Settings(server));
    EXPECT_THROW((void)client.Post("/v1/customers", {}, ""), std::invalid_argument);
    EXPECT_THROW((void)client.CreateCustomer({"wsp", "", ""}, ""), std::invalid_argument);
    EXPECT_EQ(server.request_count(), 0u);
}

TEST(StripeClient, ServesSeveralThreadsAtOnce) {
    FakeHttpServer server([](const FakeRequest& r) {
        return StripeJson({{"id", "cus_" + r.Header("idempotency-key")}});
    });
    Client client(Settings(server));
    std::mutex mu;
    std::set<std::string> ids;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 10; ++i) {
                auto id = client.CreateCustomer({"wsp", "", ""}, std::to_string(t * 100 + i));
                std::lock_guard lock(mu);
                if (id) ids.insert(*id);
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(ids.size(), 40u);
}

}  // namespace
}  // namespace uxf::billing::stripe
