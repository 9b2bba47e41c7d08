// The Billing section of docs/api.md over real HTTP, as far as it goes: the credit ledger, for owners and admins.
#include "server_fixture.hpp"
#include "uxf/billing/ledger.hpp"

namespace uxf::testing {
namespace {

class BillingApiTest : public ServerTest {
  protected:
    void SetUp() override { Start(BaseConfig()); }
};

TEST_F(BillingApiTest, OwnersAndAdminsReadTheLedgerOthersDoNot) {
    auto owner = Register("owner@example.com");
    auto viewer = Register("viewer@example.com");
    auto stranger = Register("stranger@example.com");
    std::string ws = owner.workspace_id, ledger = "/v1/workspaces/" + ws + "/billing/ledger";
    ASSERT_EQ(Call("POST", "/v1/workspaces/" + ws + "/members",
                   Json({{"email", "viewer@example.com"}, {"role", "viewer"}}), owner.access)
                  .status,
              201);
    ASSERT_TRUE(app_->ledger().Grant(ws, 40, "purchase", "cs_2027_01", "system").ok());
    auto hold = app_->ledger().Reserve(ws, 15, "gen_1", owner.user_id);
    ASSERT_TRUE(hold.ok());

    auto r = Call("GET", ledger + "?limit=1", "", owner.access);
    ASSERT_EQ(r.status, 200) << r.raw;
    auto items = r.body.at("items").as_array();
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0].at("delta").as_int64(), -15);
    EXPECT_EQ(items[0].at("balance_after").as_int64(), 40 + 50 - 15);  // the month's free allowance came first
    EXPECT_EQ(items[0].at("reason").as_string(), "reserve");
    EXPECT_EQ(items[0].at("reference").as_string(), hold->id);
    auto rest = Call("GET", ledger + "?cursor=" + r.Str("next_cursor"), "", owner.access);
    ASSERT_EQ(rest.status, 200);
    EXPECT_EQ(rest.body.at("items").as_array().at(0).at("reason").as_string(), "allowance");
    EXPECT_EQ(rest.body.at("items").as_array().at(1).at("reason").as_string(), "purchase");

    EXPECT_EQ(Call("GET", ledger, "", viewer.access).status, 403);
    EXPECT_EQ(Call("GET", ledger, "", stranger.access).status, 404);
    EXPECT_EQ(Call("GET", ledger + "?cursor=garbage", "", owner.access).status, 400);
    EXPECT_EQ(Call("GET", ledger).status, 401);
}

}  // namespace
}  // namespace uxf::testing
