// Status codes say what happened and the body agrees with the status, on every endpoint.
#include "server_fixture.hpp"

namespace uxf::testing {
namespace {

class ResponsesTest : public ServerTest {
  protected:
    void SetUp() override {
        Start(BaseConfig());
        owner_ = Register("owner@example.com");
        auto r = Call("POST", "/v1/workspaces/" + owner_.workspace_id + "/flows",
                      R"({"name":"F","nodes":[{"id":"a","type":"start","label":"A"}],"edges":[]})", owner_.access);
        flow_ = r.Str("id");
    }
    // The problem body's status and title match the HTTP status.
    static void ExpectProblem(const Reply& r, int status, const std::string& title, const std::string& code) {
        EXPECT_EQ(r.status, status) << r.raw;
        EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
        ASSERT_TRUE(r.body.is_object()) << r.raw;
        EXPECT_EQ(r.body.at("status").as_int64(), status) << r.raw;
        EXPECT_EQ(r.body.at("title").as_string(), title) << r.raw;
        EXPECT_EQ(r.Code(), code) << r.raw;
        EXPECT_FALSE(r.Header("X-Request-Id").empty());
    }
    Account owner_;
    std::string flow_;
};

TEST_F(ResponsesTest, WrongMethodIs405WithAllow) {
    auto r = Call("PATCH", "/v1/flows/" + flow_, "{}", owner_.access);
    ExpectProblem(r, 405, "Method Not Allowed", "method_not_allowed");
    EXPECT_NE(r.Header("Allow").find("GET"), std::string::npos);
    EXPECT_NE(r.Header("Allow").find("PUT"), std::string::npos);
}

TEST_F(ResponsesTest, AWrongContentTypeIs415OnEveryEndpointAndChangesNothing) {
    const std::string ws = "/v1/workspaces/" + owner_.workspace_id;
    struct Case {
        std::string method, path;
        std::vector<std::pair<std::string, std::string>> extra;
    };
    std::vector<Case> cases = {
        {"POST", ws + "/flows", {}},
        {"POST", ws + "/flows/import", {}},
        {"POST", ws + "/flows/batch", {}},
        {"PUT", "/v1/flows/" + flow_, {{"If-Match", "\"1\""}}},
        {"POST", "/v1/flows/" + flow_ + "/ops", {}},
        {"POST", "/v1/flows/" + flow_ + "/layout", {}},
        {"POST", "/v1/workspaces", {}},
        {"POST", "/v1/auth/login", {}},
    };
    for (auto& c : cases) {
        auto headers = c.extra;
        headers.emplace_back("Content-Type", "text/plain");
        http::ClientRequest req{c.method, base_ + c.path, headers, R"({"name":"x"})", 15000};
        req.headers.emplace_back("Authorization", "Bearer " + owner_.access);
        Reply r;
        r.response = client_.Send(req);
        r.status = r.response.status;
        r.raw = r.response.body;
        r.body = boost::json::parse(r.raw);
        SCOPED_TRACE(c.method + " " + c.path);
        ExpectProblem(r, 415, "Unsupported Media Type", "unsupported_media_type");
    }
    auto flow = Call("GET", "/v1/flows/" + flow_, "", owner_.access);
    EXPECT_EQ(flow.body.at("version").as_int64(), 1);
    EXPECT_EQ(Call("GET", ws + "/flows", "", owner_.access).body.at("items").as_array().size(), 1u);
}

TEST_F(ResponsesTest, IfMatchStarReplacesWhateverVersionIsCurrent) {
    auto put =
        Call("PUT", "/v1/flows/" + flow_, R"({"name":"G","nodes":[{"id":"a","type":"start","label":"A"}],"edges":[]})",
             owner_.access, {{"If-Match", "*"}});
    ASSERT_EQ(put.status, 200) << put.raw;
    EXPECT_EQ(put.body.at("version").as_int64(), 2);
    auto bad = Call("PUT", "/v1/flows/" + flow_, R"({"name":"H","nodes":[],"edges":[]})", owner_.access,
                    {{"If-Match", "soon"}});
    ExpectProblem(bad, 400, "Bad Request", "invalid_input");
}

}  // namespace
}  // namespace uxf::testing
