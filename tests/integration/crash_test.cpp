// Nothing acknowledged is lost across a crash: the real binary is killed with SIGKILL right after answering.
#include <gtest/gtest.h>

#include <filesystem>

#include <boost/json.hpp>

#include "server_process.hpp"
#include "uxf/core/ids.hpp"
#include "uxf/platform/http_client.hpp"
#include "uxf/testing/test_database.hpp"

namespace uxf::testing {
namespace {

TEST(Crash, AcknowledgedWritesSurviveKill9) {
    TestDatabase tdb;  // PostgreSQL schema when configured; otherwise the binary's SQLite file in the data dir
    std::string db_url = ProcessDatabaseUrl(tdb);
    auto data = std::filesystem::temp_directory_path() / NewId("crash");
    http::HttpClient client;
    std::vector<std::string> emails;
    {
        ServerProcess server(data, FreePort(), db_url);
        for (int i = 0; i < 5; ++i) {
            emails.push_back("user" + std::to_string(i) + "@example.com");
            auto r =
                client.Send({"POST",
                             server.base() + "/v1/auth/register",
                             {{"Content-Type", "application/json"}},
                             R"({"email":")" + emails.back() + R"(","password":"correct horse battery","name":"U"})",
                             10000});
            ASSERT_EQ(r.status, 201) << r.body;
        }
        server.Kill9();  // no shutdown, no checkpoint: only what was committed before each 201 remains
    }
    ServerProcess again(data, FreePort(), db_url);
    for (const auto& email : emails) {
        auto r = client.Send({"POST",
                              again.base() + "/v1/auth/login",
                              {{"Content-Type", "application/json"}},
                              R"({"email":")" + email + R"(","password":"correct horse battery"})",
                              10000});
        EXPECT_EQ(r.status, 200) << email << ": " << r.body;
    }
    std::filesystem::remove_all(data);
}

// A retried write under an Idempotency-Key applies once even when the server dies after committing and before
// replying (the fail point kills it there): the answer committed with the write, so the retry replays it.
TEST(Crash, RetryAfterKillBetweenCommitAndReplyAppliesOnce) {
    TestDatabase tdb;
    std::string db_url = ProcessDatabaseUrl(tdb);
    auto data = std::filesystem::temp_directory_path() / NewId("crash");
    http::HttpClient client;
    std::string token, ws, flow_id;
    auto send = [&](const ServerProcess& s, std::string method, const std::string& path, const std::string& body,
                    const std::string& key) {
        http::ClientRequest req{
            std::move(method), s.base() + path, {{"Content-Type", "application/json"}}, body, 10000};
        if (!token.empty()) req.headers.emplace_back("Authorization", "Bearer " + token);
        if (!key.empty()) req.headers.emplace_back("Idempotency-Key", key);
        return client.Send(req);
    };
    const std::string flow = R"({"name":"Checkout","nodes":[{"id":"a","type":"start","label":"Cart"},)"
                             R"({"id":"b","type":"end","label":"Paid"}],"edges":[{"source":"a","target":"b"}]})";
    const std::string ops = R"({"base_version":1,"ops":[{"op":"update_node","id":"b","set":{"label":"Done"}}]})";
    {
        ServerProcess server(data, FreePort(), db_url, {{"UXFLOW_FAILPOINTS", "idempotent_reply"}});
        auto reg = send(server, "POST", "/v1/auth/register",
                        R"({"email":"ada@example.com","password":"correct horse battery","name":"Ada"})", "");
        ASSERT_EQ(reg.status, 201) << reg.body;
        auto body = boost::json::parse(reg.body).as_object();
        token = std::string(body.at("access_token").as_string());
        ws = std::string(body.at("workspace").as_object().at("id").as_string());
        // The server commits the flow and dies before answering.
        EXPECT_ANY_THROW(send(server, "POST", "/v1/workspaces/" + ws + "/flows", flow, "create-1"));
    }
    {
        ServerProcess server(data, FreePort(), db_url);
        auto retry = send(server, "POST", "/v1/workspaces/" + ws + "/flows", flow, "create-1");
        ASSERT_EQ(retry.status, 201) << retry.body;
        EXPECT_EQ(retry.Header("Idempotency-Replayed"), "true");
        flow_id = std::string(boost::json::parse(retry.body).at("id").as_string());
        auto list = send(server, "GET", "/v1/workspaces/" + ws + "/flows", "", "");
        EXPECT_EQ(boost::json::parse(list.body).at("items").as_array().size(), 1u) << list.body;
        server.Kill9();
    }
    {
        ServerProcess server(data, FreePort(), db_url, {{"UXFLOW_FAILPOINTS", "idempotent_reply"}});
        EXPECT_ANY_THROW(send(server, "POST", "/v1/flows/" + flow_id + "/ops", ops, "ops-1"));
    }
    ServerProcess server(data, FreePort(), db_url);
    auto retry = send(server, "POST", "/v1/flows/" + flow_id + "/ops", ops, "ops-1");
    ASSERT_EQ(retry.status, 200) << retry.body;
    EXPECT_EQ(retry.Header("Idempotency-Replayed"), "true");
    EXPECT_EQ(boost::json::parse(retry.body).at("version").as_int64(), 2);
    auto now = send(server, "GET", "/v1/flows/" + flow_id, "", "");
    EXPECT_EQ(boost::json::parse(now.body).at("version").as_int64(), 2) << "the ops were applied twice";
    std::filesystem::remove_all(data);
}

}  // namespace
}  // namespace uxf::testing
