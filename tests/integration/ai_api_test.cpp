// The AI section of docs/api.md over real HTTP: generations with ?wait, the quote and the charge, 402 before any
// work, Idempotency-Key, the conversation with a proposal applied, cancellation, and the providers.
#include "server_fixture.hpp"
#include "uxf/billing/ledger.hpp"

namespace uxf::testing {
namespace {

class AiApiTest : public ServerTest {
  protected:
    void SetUp() override { Start(BaseConfig()); }
    std::int64_t Balance(const Account& a) {
        return Call("GET", "/v1/workspaces/" + a.workspace_id + "/billing", "", a.access)
            .body.at("credits")
            .at("balance")
            .as_int64();
    }
};

TEST_F(AiApiTest, APromptBecomesASavedFlowChargedAsQuoted) {
    auto a = Register("owner@example.com");
    std::string base = "/v1/workspaces/" + a.workspace_id + "/generations";
    std::string prompt = Json({{"prompt", "Password reset for a banking app"}});
    auto quote = Call("POST", base + "/quote", prompt, a.access);
    ASSERT_EQ(quote.status, 200) << quote.raw;
    std::int64_t before = Balance(a);
    auto r = Call("POST", base + "?wait=true", prompt, a.access);
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.Str("status"), "succeeded");
    EXPECT_EQ(r.body.at("credits_charged").as_int64(), quote.body.at("credits").as_int64());
    EXPECT_EQ(Balance(a), before - quote.body.at("credits").as_int64());
    auto flow = Call("GET", "/v1/flows/" + r.Str("flow_id"), "", a.access);
    ASSERT_EQ(flow.status, 200);
    EXPECT_GE(flow.body.at("nodes").as_array().size(), 6u);
    auto valid = Call("GET", "/v1/flows/" + r.Str("flow_id") + "/validate", "", a.access);
    EXPECT_TRUE(valid.body.at("valid").as_bool()) << valid.raw;
    auto again = Call("GET", "/v1/generations/" + r.Str("id"), "", a.access);
    EXPECT_EQ(again.Str("status"), "succeeded");
    auto stranger = Register("stranger@example.com");
    EXPECT_EQ(Call("GET", "/v1/generations/" + r.Str("id"), "", stranger.access).status, 404);
    EXPECT_EQ(Call("POST", base, prompt, stranger.access).status, 404);
    EXPECT_EQ(Call("POST", base, Json({{"prompt", 5}}), a.access).status, 400);
    EXPECT_EQ(Call("POST", base, Json({{"prompt", "x"}, {"locale", "it"}}), a.access).status, 400);
    EXPECT_EQ(Call("POST", "/v1/generations/" + r.Str("id") + "/cancel", "", a.access).Code(), "generation_finished");
}

TEST_F(AiApiTest, NoCreditsIsRefusedBeforeAnyWork) {
    auto config = BaseConfig();
    config.ai.planner_credits = 1000;
    app_.reset();
    Start(config);
    auto a = Register("owner@example.com");
    auto r = Call("POST", "/v1/workspaces/" + a.workspace_id + "/generations",
                  Json({{"prompt", "Checkout for a shoe shop"}}), a.access);
    EXPECT_EQ(r.status, 402) << r.raw;
    EXPECT_EQ(r.Code(), "insufficient_credits");
}

TEST_F(AiApiTest, ARetryWithTheSameKeyStartsNothingNew) {
    auto a = Register("owner@example.com");
    std::string path = "/v1/workspaces/" + a.workspace_id + "/generations";
    std::string body = Json({{"prompt", "Onboarding tour for a budgeting app"}});
    auto first = Call("POST", path, body, a.access, {{"Idempotency-Key", "gen-key-1"}});
    ASSERT_EQ(first.status, 202) << first.raw;
    auto second = Call("POST", path, body, a.access, {{"Idempotency-Key", "gen-key-1"}});
    EXPECT_EQ(second.status, 202);
    EXPECT_EQ(second.Str("id"), first.Str("id"));
    auto other = Call("POST", path, Json({{"prompt", "Something else"}}), a.access, {{"Idempotency-Key", "gen-key-1"}});
    EXPECT_EQ(other.status, 422);
    auto ledger = Call("GET", "/v1/workspaces/" + a.workspace_id + "/billing/ledger", "", a.access);
    int reserves = 0;
    for (const auto& e : ledger.body.at("items").as_array()) reserves += e.at("reason").as_string() == "reserve";
    EXPECT_EQ(reserves, 1);
}

TEST_F(AiApiTest, AChatProposalIsReviewedThenApplied) {
    auto a = Register("owner@example.com");
    auto made = Call("POST", "/v1/workspaces/" + a.workspace_id + "/generations?wait=true",
                     Json({{"prompt", "Login for a banking app"}}), a.access);
    ASSERT_EQ(made.Str("status"), "succeeded") << made.raw;
    std::string flow = "/v1/flows/" + made.Str("flow_id");
    auto proposal =
        Call("POST", flow + "/messages?wait=true",
             Json({{"text", "add a forgot-password path from the login screen"}, {"mode", "propose"}}), a.access);
    ASSERT_EQ(proposal.status, 200) << proposal.raw;
    ASSERT_EQ(proposal.Str("status"), "succeeded") << proposal.raw;
    EXPECT_FALSE(proposal.body.at("preview").at("added_nodes").as_array().empty());
    EXPECT_EQ(Call("GET", flow, "", a.access).body.at("version").as_int64(), 1);
    auto applied = Call("POST", "/v1/generations/" + proposal.Str("id") + "/apply", "", a.access);
    ASSERT_EQ(applied.status, 200) << applied.raw;
    EXPECT_EQ(applied.body.at("version").as_int64(), 2);
    EXPECT_EQ(Call("POST", "/v1/generations/" + proposal.Str("id") + "/apply", "", a.access).status, 409);
    auto conversation = Call("GET", flow + "/messages", "", a.access);
    ASSERT_EQ(conversation.status, 200);
    auto items = conversation.body.at("items").as_array();
    ASSERT_EQ(items.size(), 2u);
    EXPECT_EQ(items[0].at("role").as_string(), "user");
    EXPECT_EQ(items[1].at("generation").at("id").as_string(), proposal.Str("id"));
    EXPECT_EQ(
        Call("POST", "/v1/generations/" + proposal.Str("id") + "/feedback", Json({{"rating", 1}}), a.access).status,
        204);
    EXPECT_EQ(Call("POST", flow + "/messages", Json({{"text", "x"}, {"mode", "maybe"}}), a.access).status, 400);
}

TEST_F(AiApiTest, ProvidersSayWhatIsConfigured) {
    auto a = Register("owner@example.com");
    auto r = Call("GET", "/v1/ai/providers?workspace_id=" + a.workspace_id, "", a.access);
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.Str("default"), "planner");
    std::string key_path = "/v1/workspaces/" + a.workspace_id + "/ai/providers/anthropic";
    EXPECT_EQ(Call("PUT", key_path, Json({{"api_key", "sk-ant-secret"}}), a.access).status, 204);
    auto after = Call("GET", "/v1/ai/providers?workspace_id=" + a.workspace_id, "", a.access);
    EXPECT_EQ(after.raw.find("sk-ant-secret"), std::string::npos);
    bool configured = false;
    for (const auto& p : after.body.at("providers").as_array())
        if (p.at("name").as_string() == "anthropic") configured = p.at("configured").as_bool();
    EXPECT_TRUE(configured);
    EXPECT_EQ(Call("PUT", "/v1/workspaces/" + a.workspace_id + "/ai/providers/nope", Json({{"api_key", "k"}}), a.access)
                  .status,
              404);
    EXPECT_EQ(Call("DELETE", key_path, "", a.access).status, 204);
}

}  // namespace
}  // namespace uxf::testing
