// The operators' credit tools on the real binary: `uxflow admin grant-credits` and `uxflow admin verify-ledger`.
#include <gtest/gtest.h>

#include <filesystem>

#include <boost/json.hpp>

#include "server_process.hpp"
#include "uxf/core/ids.hpp"
#include "uxf/platform/http_client.hpp"
#include "uxf/testing/test_database.hpp"

namespace uxf::testing {
namespace {

TEST(BillingAdmin, OperatorsGrantCreditsToAWorkspaceAndVerifyTheLedger) {
    TestDatabase tdb;
    std::string db_url = ProcessDatabaseUrl(tdb);
    auto data = std::filesystem::temp_directory_path() / NewId("billing");
    std::string ws;
    {
        ServerProcess server(data, FreePort(), db_url);
        http::HttpClient client;
        auto r = client.Send({"POST",
                              server.base() + "/v1/auth/register",
                              {{"Content-Type", "application/json"}},
                              R"({"email":"owner@example.com","password":"correct horse battery","name":"O"})",
                              10000});
        ASSERT_EQ(r.status, 201) << r.body;
        ws = std::string(boost::json::parse(r.body).at("workspace").at("id").as_string());
        server.Stop();
    }
    Env env = ServerEnv(data, FreePort(), db_url);
    auto grant = RunUxflow(env, {"admin", "grant-credits", "--workspace", ws, "--amount", "40", "--reason", "beta"});
    EXPECT_EQ(grant.exit_code, 0) << grant.output;
    EXPECT_NE(grant.output.find("balance 40"), std::string::npos) << grant.output;
    auto again = RunUxflow(env, {"admin", "grant-credits", "--workspace", ws, "--amount", "2", "--reason", "more"});
    EXPECT_NE(again.output.find("balance 42"), std::string::npos) << again.output;
    auto unknown =
        RunUxflow(env, {"admin", "grant-credits", "--workspace", "wsp_nope", "--amount", "5", "--reason", "x"});
    EXPECT_EQ(unknown.exit_code, 2) << unknown.output;
    auto zero = RunUxflow(env, {"admin", "grant-credits", "--workspace", ws, "--amount", "0", "--reason", "x"});
    EXPECT_EQ(zero.exit_code, 2) << zero.output;
    auto verify = RunUxflow(env, {"admin", "verify-ledger"});
    EXPECT_EQ(verify.exit_code, 0) << verify.output;
    EXPECT_NE(verify.output.find("add up"), std::string::npos) << verify.output;
    std::filesystem::remove_all(data);
}

}  // namespace
}  // namespace uxf::testing
