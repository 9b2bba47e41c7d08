// Reads at network speed, over real HTTP: flow versions served from encoded bytes with ETag revalidation, and
// probes that a load balancer may poll as often as it likes.
#include "server_fixture.hpp"

namespace uxf::testing {
namespace {

class ReadPathTest : public ServerTest {
  protected:
    std::string NewFlow(const Account& a) {
        auto r =
            Call("POST", "/v1/workspaces/" + a.workspace_id + "/flows",
                 R"({"name":"Signup","nodes":[{"id":"s","type":"start","label":"Open"},)"
                 R"({"id":"e","type":"end","label":"Done","data":{"n":3}}],"edges":[{"source":"s","target":"e"}]})",
                 a.access);
        EXPECT_EQ(r.status, 201) << r.raw;
        return r.Str("id");
    }
};

TEST_F(ReadPathTest, IfNoneMatchAnswers304UntilTheFlowChanges) {
    Start(BaseConfig());
    auto owner = Register("owner@example.com");
    auto stranger = Register("stranger@example.com");
    std::string id = NewFlow(owner);
    auto first = Call("GET", "/v1/flows/" + id, "", owner.access);
    ASSERT_EQ(first.status, 200);
    EXPECT_EQ(first.Header("ETag"), "\"1\"");
    EXPECT_EQ(first.Header("Cache-Control"), "private, no-cache");

    for (std::string tag : {"\"1\"", "W/\"1\"", "\"7\", \"1\"", "*"}) {
        auto again = Call("GET", "/v1/flows/" + id, "", owner.access, {{"If-None-Match", tag}});
        EXPECT_EQ(again.status, 304) << tag;
        EXPECT_TRUE(again.raw.empty()) << tag;
        EXPECT_EQ(again.Header("ETag"), "\"1\"") << tag;
        EXPECT_EQ(again.Header("Content-Length"), "") << tag;  // a 304 has no body, so no length (RFC 9110)
        EXPECT_EQ(again.Header("Content-Type"), "") << tag;
    }
    EXPECT_EQ(Call("GET", "/v1/flows/" + id, "", owner.access, {{"If-None-Match", "\"2\""}}).status, 200);
    // Revalidation never tells a stranger that the flow exists.
    auto probe = Call("GET", "/v1/flows/" + id, "", stranger.access, {{"If-None-Match", "\"1\""}});
    EXPECT_EQ(probe.status, 404);

    auto ops =
        Call("POST", "/v1/flows/" + id + "/ops",
             R"({"base_version":1,"ops":[{"op":"update_node","id":"e","set":{"label":"Welcome"}}]})", owner.access);
    ASSERT_EQ(ops.status, 200) << ops.raw;
    auto changed = Call("GET", "/v1/flows/" + id, "", owner.access, {{"If-None-Match", "\"1\""}});
    ASSERT_EQ(changed.status, 200);
    EXPECT_EQ(changed.Header("ETag"), "\"2\"");
    EXPECT_EQ(changed.body, ops.body);  // the write's answer and the read are the same document
    // Old versions stay readable and revalidate against their own number.
    auto v1 = Call("GET", "/v1/flows/" + id + "/versions/1", "", owner.access);
    ASSERT_EQ(v1.status, 200);
    EXPECT_EQ(v1.body, first.body);
    EXPECT_EQ(Call("GET", "/v1/flows/" + id + "/versions/1", "", owner.access, {{"If-None-Match", "\"1\""}}).status,
              304);
    EXPECT_EQ(Call("GET", "/v1/flows/" + id + "/versions/3", "", owner.access).status, 404);
}

// A user's own data and positions come back as they were sent (no 1.29E0), in the write's answer and on reads.
TEST_F(ReadPathTest, NumbersComeBackAsSent) {
    Start(BaseConfig());
    auto owner = Register("owner@example.com");
    auto created = Call("POST", "/v1/workspaces/" + owner.workspace_id + "/flows",
                        R"({"name":"Prices","nodes":[{"id":"s","type":"start","label":"Shop",)"
                        R"("data":{"price":1.29,"count":100,"ratio":0.5,"tags":["a"]},"position":{"x":1.5,"y":-2}}],)"
                        R"("edges":[]})",
                        owner.access);
    ASSERT_EQ(created.status, 201) << created.raw;
    const std::string data = R"("data":{"price":1.29,"count":100,"ratio":0.5,"tags":["a"]})";
    const std::string position = R"("position":{"x":1.5,"y":-2})";
    for (const auto& raw :
         {created.raw, Call("GET", "/v1/flows/" + created.Str("id"), "", owner.access).raw,
          Call("GET", "/v1/flows/" + created.Str("id") + "/export?format=json", "", owner.access).raw}) {
        EXPECT_NE(raw.find(data), std::string::npos) << raw;
        EXPECT_NE(raw.find(position), std::string::npos) << raw;
    }
}

TEST_F(ReadPathTest, ProbesAreNotRateLimitedButTheApiIs) {
    auto config = BaseConfig();
    config.gateway.rate_limit.ip_rps = 1;
    config.gateway.rate_limit.ip_burst = 3;
    Start(config);
    for (int i = 0; i < 20; ++i) {
        ASSERT_EQ(Call("GET", "/healthz").status, 200) << i;
        ASSERT_EQ(Call("GET", "/readyz").status, 200) << i;
        ASSERT_EQ(Call("GET", "/metrics").status, 200) << i;
    }
    int limited = 0;
    for (int i = 0; i < 6; ++i) limited += Call("GET", "/v1/openapi.json").status == 429;
    EXPECT_GT(limited, 0);
}

}  // namespace
}  // namespace uxf::testing
