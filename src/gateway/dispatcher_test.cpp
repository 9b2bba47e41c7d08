#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "uxf/billing/billing_service.hpp"
#include "uxf/billing/ledger.hpp"
#include "uxf/flows/flow_service.hpp"
#include "uxf/gateway/dispatcher.hpp"
#include "uxf/gateway/routes.hpp"
#include "uxf/identity/auth_service.hpp"
#include "uxf/identity/migrations.hpp"
#include "uxf/identity/testing.hpp"
#include "uxf/identity/workspace_service.hpp"
#include "uxf/knowledge/knowledge_service.hpp"
#include "uxf/platform/crypto.hpp"
#include "uxf/platform/events.hpp"
#include "uxf/platform/graphviz.hpp"
#include "uxf/platform/jobs.hpp"
#include "uxf/platform/metrics.hpp"
#include "uxf/testing/test_database.hpp"

namespace uxf::gateway {
namespace {

class DispatcherTest : public ::testing::Test {
  protected:
    DispatcherTest() {
        db::Migrate(tdb_.db(), identity::Migrations());
        router_.Add("GET", "/open", {.auth = false}, [](Ctx& ctx) {
            return Response{200, "text/plain", ctx.meta.request_id, {}};
        });
        router_.Add("GET", "/private", {}, [](Ctx& ctx) { return Response{200, "text/plain", ctx.meta.user_id, {}}; });
        router_.Add("GET", "/boom", {.auth = false}, [](Ctx&) -> Response { throw std::runtime_error("SQL secret"); });
    }

    Response Call(std::string method, std::string path, std::vector<std::pair<std::string, std::string>> headers = {}) {
        Request r;
        r.method = std::move(method);
        r.path = r.target = std::move(path);
        r.headers = std::move(headers);
        r.remote_ip = ip_;
        return dispatcher_.Handle(r);
    }

    static boost::json::object Problem(const Response& r) {
        EXPECT_EQ(r.content_type, "application/problem+json");
        return boost::json::parse(r.body).as_object();
    }

    uxf::testing::TestDatabase tdb_;
    ManualClock clock_{1'800'000'000LL * kSecond};
    events::InProcessEventBus bus_;
    metrics::Registry metrics_;
    identity::AuthService auth_{tdb_.db(), bus_, clock_, identity::testing::FastSettings()};
    Router router_;
    static GatewaySettings Settings() {
        GatewaySettings s;
        s.cors_origins = {"https://app.example"};
        s.rate_limit.ip_rps = 5;
        s.rate_limit.ip_burst = 5;
        return s;
    }
    GatewaySettings settings_ = Settings();
    Dispatcher dispatcher_{router_, settings_, auth_, metrics_, clock_};
    std::string ip_ = "192.0.2.1";
};

TEST_F(DispatcherTest, RequestIdIsAcceptedOrCreatedAndEchoed) {
    auto r = Call("GET", "/open", {{"x-request-id", "abc-123"}});
    EXPECT_EQ(r.body, "abc-123");
    EXPECT_EQ(r.Header("X-Request-Id"), "abc-123");
    auto bad = Call("GET", "/open", {{"x-request-id", "has spaces and \"quotes\""}});
    EXPECT_TRUE(bad.body.starts_with("req_"));
    EXPECT_EQ(bad.Header("X-Request-Id"), bad.body);
}

TEST_F(DispatcherTest, SecurityHeadersOnEveryResponse) {
    for (const auto& r : {Call("GET", "/open"), Call("GET", "/nowhere")}) {
        EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
        EXPECT_EQ(r.Header("X-Frame-Options"), "DENY");
        EXPECT_EQ(r.Header("Referrer-Policy"), "no-referrer");
        EXPECT_TRUE(r.Header("Server").empty());
    }
}

TEST_F(DispatcherTest, UnknownRoutesAndMethodsAreProblems) {
    auto nf = Call("GET", "/nowhere");
    EXPECT_EQ(nf.status, 404);
    auto p = Problem(nf);
    EXPECT_EQ(p["code"], "not_found");
    EXPECT_EQ(p["status"], 404);
    EXPECT_EQ(p["instance"], "/nowhere");
    EXPECT_TRUE(p.contains("type") && p.contains("title") && p.contains("detail"));
    auto na = Call("POST", "/open");
    EXPECT_EQ(na.status, 405);
    EXPECT_EQ(na.Header("Allow"), "GET");
}

TEST_F(DispatcherTest, HandlerExceptionsBecome500WithRequestIdAndNoInternals) {
    auto r = Call("GET", "/boom", {{"x-request-id", "trace-me"}});
    EXPECT_EQ(r.status, 500);
    auto p = Problem(r);
    EXPECT_EQ(p["request_id"], "trace-me");
    EXPECT_EQ(r.body.find("SQL secret"), std::string::npos);
}

TEST_F(DispatcherTest, AuthenticationIsRequiredAndVerified) {
    auto none = Call("GET", "/private");
    EXPECT_EQ(none.status, 401);
    EXPECT_EQ(none.Header("WWW-Authenticate"), "Bearer");
    auto bad = Call("GET", "/private", {{"authorization", "Bearer not.a.token"}});
    EXPECT_EQ(bad.status, 401);
    EXPECT_EQ(Problem(bad)["code"], "invalid_token");
    auto reg = auth_.Register({"ada@example.com", "correct horse battery", "Ada"}, {});
    ASSERT_TRUE(reg.ok());
    auto ok = Call("GET", "/private", {{"authorization", "Bearer " + reg->tokens.access_token}});
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(ok.body, reg->user.id);
}

TEST_F(DispatcherTest, PerIpRateLimitAnswers429WithRetryAfter) {
    for (int i = 0; i < 5; ++i) EXPECT_EQ(Call("GET", "/open").status, 200);
    auto limited = Call("GET", "/open");
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(limited.Header("Retry-After"), "1");
    ip_ = "192.0.2.2";
    EXPECT_EQ(Call("GET", "/open").status, 200);
    clock_.Advance(kSecond);
    ip_ = "192.0.2.1";
    EXPECT_EQ(Call("GET", "/open").status, 200);
    EXPECT_GE(metrics_.Value("uxflow_rate_limit_rejections_total", {{"scope", "ip"}}), 1);
}

TEST_F(DispatcherTest, CorsOnlyForConfiguredOrigins) {
    auto pre =
        Call("OPTIONS", "/private", {{"origin", "https://app.example"}, {"access-control-request-method", "GET"}});
    EXPECT_EQ(pre.status, 204);
    EXPECT_EQ(pre.Header("Access-Control-Allow-Origin"), "https://app.example");
    EXPECT_FALSE(pre.Header("Access-Control-Allow-Headers").empty());
    auto evil = Call("GET", "/open", {{"origin", "https://evil.example"}});
    EXPECT_TRUE(evil.Header("Access-Control-Allow-Origin").empty());
    auto good = Call("GET", "/open", {{"origin", "https://app.example"}});
    EXPECT_EQ(good.Header("Access-Control-Allow-Origin"), "https://app.example");
}

TEST_F(DispatcherTest, CountsRequestsByRouteAndStatus) {
    Call("GET", "/open");
    Call("GET", "/open");  // the second through the cached series handles
    Call("GET", "/nowhere");
    Call("BREW", "/nowhere");
    Call("FROBNICATE", "/nowhere");
    EXPECT_EQ(metrics_.Value("uxflow_http_requests_total", {{"route", "/open"}, {"method", "GET"}, {"status", "200"}}),
              2);
    // Methods HTTP does not define share one label value: a client cannot create series at will.
    EXPECT_EQ(
        metrics_.Value("uxflow_http_requests_total", {{"route", "unmatched"}, {"method", "OTHER"}, {"status", "404"}}),
        2);
    EXPECT_EQ(
        metrics_.Value("uxflow_http_requests_total", {{"route", "unmatched"}, {"method", "GET"}, {"status", "404"}}),
        1);
    EXPECT_NE(metrics_.Render().find("uxflow_http_request_duration_seconds_bucket"), std::string::npos);
}

TEST_F(DispatcherTest, OpenApiDocumentsEveryRoute) {
    Router router;
    AddServiceRoutes(router, {[] { return true; }, metrics_});
    identity::WorkspaceService workspaces(tdb_.db(), bus_, clock_);
    AddIdentityRoutes(router, auth_, workspaces);
    render::Graphviz graphviz;
    flows::FlowService flow_service(tdb_.db(), bus_, clock_, workspaces, graphviz, {});
    AddFlowRoutes(router, flow_service);
    knowledge::KnowledgeService knowledge(tdb_.db(), bus_, clock_, workspaces, {}, {});
    AddKnowledgeRoutes(router, knowledge);
    AddPatternRoutes(router, knowledge);
    billing::Ledger ledger(tdb_.db(), clock_);
    billing::BillingService billing(tdb_.db(), clock_, ledger, workspaces, {}, metrics_);
    AddBillingRoutes(router, ledger, billing, workspaces);
    auto doc = boost::json::parse(OpenApiDocument()).as_object();
    EXPECT_EQ(std::string(doc["openapi"].as_string()).substr(0, 3), "3.1");
    const auto& paths = doc["paths"].as_object();
    for (const auto& route : router.routes()) {
        auto it = paths.find(route.pattern);
        ASSERT_NE(it, paths.end()) << route.pattern << " is missing from openapi.json";
        std::string method = route.method;
        for (auto& c : method) c = static_cast<char>(std::tolower(c));
        EXPECT_TRUE(it->value().as_object().contains(method)) << route.method << " " << route.pattern;
    }
}

}  // namespace
}  // namespace uxf::gateway
