#include <gtest/gtest.h>

#include "uxf/gateway/router.hpp"

namespace uxf::gateway {
namespace {

Response Named(const char* name) { return {200, "text/plain", name, {}}; }

TEST(Router, MatchesParamsAndPrefersLiterals) {
    Router r;
    r.Add("GET", "/v1/flows/{id}", {}, [](Ctx&) { return Named("get"); });
    r.Add("GET", "/v1/flows/{id}/versions/{n}", {}, [](Ctx&) { return Named("version"); });
    r.Add("POST", "/v1/workspaces/{ws}/flows/import", {}, [](Ctx&) { return Named("import"); });
    r.Add("GET", "/v1/workspaces/{ws}/flows/{id}", {}, [](Ctx&) { return Named("param"); });
    r.Add("GET", "/v1/workspaces/{ws}/flows/batch", {}, [](Ctx&) { return Named("literal"); });

    auto m = r.Find("GET", "/v1/flows/flw_1/versions/3");
    ASSERT_TRUE(m.route);
    EXPECT_EQ(m.route->pattern, "/v1/flows/{id}/versions/{n}");
    EXPECT_EQ(m.params.at("id"), "flw_1");
    EXPECT_EQ(m.params.at("n"), "3");
    EXPECT_EQ(r.Find("GET", "/v1/workspaces/w/flows/batch").route->pattern, "/v1/workspaces/{ws}/flows/batch");
    EXPECT_EQ(r.Find("GET", "/v1/workspaces/w/flows/other").route->pattern, "/v1/workspaces/{ws}/flows/{id}");
    EXPECT_EQ(r.Find("HEAD", "/v1/flows/x").route->pattern, "/v1/flows/{id}");
}

TEST(Router, ReportsAllowedMethodsAndMisses) {
    Router r;
    r.Add("GET", "/v1/me", {}, [](Ctx&) { return Named("me"); });
    r.Add("DELETE", "/v1/me", {}, [](Ctx&) { return Named("me"); });
    auto m = r.Find("POST", "/v1/me");
    EXPECT_FALSE(m.route);
    EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET", "DELETE"}));
    EXPECT_FALSE(r.Find("GET", "/v1/me/extra").route);
    EXPECT_FALSE(r.Find("GET", "/v1//").route);
    EXPECT_TRUE(r.Find("GET", "/v1/nothing").allowed.empty());
}

}  // namespace
}  // namespace uxf::gateway
