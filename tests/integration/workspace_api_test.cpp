// The Workspaces section of docs/api.md over real HTTP: roles, tenant isolation, audit log.
#include "server_fixture.hpp"

namespace uxf::testing {
namespace {

class WorkspaceApiTest : public ServerTest {
  protected:
    void SetUp() override { Start(BaseConfig()); }
};

TEST_F(WorkspaceApiTest, CreateListGetWithPagination) {
    auto a = Register("owner@example.com");
    auto created = Call("POST", "/v1/workspaces", Json({{"name", "Design team"}}), a.access);
    ASSERT_EQ(created.status, 201) << created.raw;
    std::string id = created.Str("id");
    EXPECT_EQ(created.Header("Location"), "/v1/workspaces/" + id);
    EXPECT_EQ(created.Str("role"), "owner");
    auto page = Call("GET", "/v1/workspaces?limit=1", "", a.access);
    ASSERT_EQ(page.status, 200);
    ASSERT_EQ(page.body.at("items").as_array().size(), 1u);
    std::string cursor(page.body.at("next_cursor").as_string());
    auto next = Call("GET", "/v1/workspaces?limit=1&cursor=" + cursor, "", a.access);
    ASSERT_EQ(next.body.at("items").as_array().size(), 1u);
    EXPECT_TRUE(next.body.at("next_cursor").is_null());
    EXPECT_EQ(Call("GET", "/v1/workspaces/" + id, "", a.access).Str("name"), "Design team");
    EXPECT_EQ(Call("GET", "/v1/workspaces?limit=500", "", a.access).status, 400);
    EXPECT_EQ(Call("POST", "/v1/workspaces", Json({{"name", ""}}), a.access).status, 400);
}

TEST_F(WorkspaceApiTest, StrangersSee404NotForbidden) {
    auto owner = Register("owner@example.com");
    auto stranger = Register("stranger@example.com");
    std::string ws = owner.workspace_id;
    for (auto [method, path] : std::vector<std::pair<std::string, std::string>>{
             {"GET", "/v1/workspaces/" + ws},
             {"GET", "/v1/workspaces/" + ws + "/members"},
             {"GET", "/v1/workspaces/" + ws + "/audit-log"},
             {"DELETE", "/v1/workspaces/" + ws + "/members/" + owner.user_id}}) {
        auto r = Call(method, path, "", stranger.access);
        EXPECT_EQ(r.status, 404) << method << " " << path;
        EXPECT_EQ(r.Code(), "not_found");
    }
    auto add = Call("POST", "/v1/workspaces/" + ws + "/members",
                    Json({{"email", "stranger@example.com"}, {"role", "owner"}}), stranger.access);
    EXPECT_EQ(add.status, 404);
    EXPECT_EQ(Call("GET", "/v1/workspaces/wsp_doesnotexistatallxxxxxxxxx", "", owner.access).status, 404);
}

TEST_F(WorkspaceApiTest, MembersAndRoles) {
    auto owner = Register("owner@example.com");
    auto member = Register("member@example.com");
    std::string ws = owner.workspace_id;
    std::string base = "/v1/workspaces/" + ws + "/members";
    auto added = Call("POST", base, Json({{"email", "member@example.com"}, {"role", "viewer"}}), owner.access);
    ASSERT_EQ(added.status, 201) << added.raw;
    EXPECT_EQ(added.Str("role"), "viewer");
    EXPECT_EQ(Call("POST", base, Json({{"email", "member@example.com"}, {"role", "boss"}}), owner.access).status, 400);
    auto list = Call("GET", base, "", member.access);
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.body.at("items").as_array().size(), 2u);
    // Viewers cannot manage members: 403 (they can see the workspace, so it is no secret).
    auto refused = Call("PATCH", base + "/" + member.user_id, Json({{"role", "admin"}}), member.access);
    EXPECT_EQ(refused.status, 403);
    auto promoted = Call("PATCH", base + "/" + member.user_id, Json({{"role", "admin"}}), owner.access);
    EXPECT_EQ(promoted.status, 200);
    EXPECT_EQ(promoted.Str("role"), "admin");
    auto me = Call("GET", "/v1/me", "", member.access);
    EXPECT_EQ(me.body.at("workspaces").as_array().size(), 2u);
    auto last_owner = Call("DELETE", base + "/" + owner.user_id, "", owner.access);
    EXPECT_EQ(last_owner.status, 409);
    EXPECT_EQ(last_owner.Code(), "last_owner");
    EXPECT_EQ(Call("DELETE", base + "/" + member.user_id, "", member.access).status, 204);  // leaves
    EXPECT_EQ(Call("GET", "/v1/workspaces/" + ws, "", member.access).status, 404);

    auto audit = Call("GET", "/v1/workspaces/" + ws + "/audit-log", "", owner.access);
    ASSERT_EQ(audit.status, 200);
    std::vector<std::string> actions;
    for (const auto& e : audit.body.at("items").as_array()) actions.emplace_back(e.at("action").as_string());
    EXPECT_NE(std::find(actions.begin(), actions.end(), "workspace.member_role_changed"), actions.end());
    EXPECT_NE(std::find(actions.begin(), actions.end(), "workspace.member_left"), actions.end());
    EXPECT_EQ(audit.body.at("items").at(0).at("user_agent").as_string(), "uxflow-integration-test");
    EXPECT_EQ(audit.body.at("items").at(0).at("ip").as_string(), "127.0.0.1");
}

}  // namespace
}  // namespace uxf::testing
