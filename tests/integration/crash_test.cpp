// Nothing acknowledged is lost across a crash: the real binary is killed with SIGKILL right after answering.
#include <gtest/gtest.h>

#include <filesystem>

#include "server_process.hpp"
#include "uxf/core/ids.hpp"
#include "uxf/platform/http_client.hpp"
#include "uxf/testing/test_database.hpp"

namespace uxf::testing {
namespace {

TEST(Crash, AcknowledgedWritesSurviveKill9) {
    TestDatabase tdb;  // PostgreSQL schema when configured; otherwise the binary's SQLite file in the data dir
    std::string db_url;
    if (TestDatabase::UsingPostgres())
        db_url = tdb.settings().url + "?options=-csearch_path%3D" + tdb.settings().postgres_schema;
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

}  // namespace
}  // namespace uxf::testing
