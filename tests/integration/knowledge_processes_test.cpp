// Two `uxflow serve` processes over one database, each with its own in-memory vector index: what one process
// deletes, the other no longer finds, and what one ingests, the other finds by meaning at its next search (the
// workspace's change counter, read by every search). Needs the real word vectors (UXFLOW_TEST_VECTORS_FILE, which
// scripts/run-tests.sh sets); skipped without them.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include <boost/json.hpp>

#include "server_process.hpp"
#include "uxf/core/ids.hpp"
#include "uxf/platform/http_client.hpp"
#include "uxf/testing/test_database.hpp"

namespace uxf::testing {
namespace {

namespace json = boost::json;

class TwoProcesses {
  public:
    TwoProcesses(const std::filesystem::path& data, const std::string& db_url, const std::string& vectors)
        : a_(data, FreePort(), db_url, {{"UXFLOW_VECTORS_FILE", vectors}, {"UXFLOW_JOB_POLL_MS", "20"}}),
          b_(data, FreePort(), db_url, {{"UXFLOW_VECTORS_FILE", vectors}, {"UXFLOW_JOB_POLL_MS", "20"}}) {}
    ServerProcess& a() { return a_; }
    ServerProcess& b() { return b_; }

  private:
    ServerProcess a_, b_;
};

TEST(KnowledgeProcesses, AnotherProcessesDeletionsAndIngestionsAreSeenBySearchByMeaning) {
    const char* vectors = std::getenv("UXFLOW_TEST_VECTORS_FILE");
    if (!vectors) GTEST_SKIP() << "UXFLOW_TEST_VECTORS_FILE is not set";
    TestDatabase tdb;  // PostgreSQL schema when configured; otherwise the data dir's SQLite file, shared
    std::string db_url = ProcessDatabaseUrl(tdb);
    auto data = std::filesystem::temp_directory_path() / NewId("procs");
    {
        TwoProcesses servers(data, db_url, vectors);
        http::HttpClient client;
        std::string token;
        auto call = [&](ServerProcess& s, const std::string& method, const std::string& path,
                        const std::string& body = "") {
            auto r = client.Send({method,
                                  s.base() + path,
                                  {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}},
                                  body,
                                  10000});
            return std::make_pair(r.status, r.body.empty() ? json::value() : json::parse(r.body));
        };
        auto [status, reg] = call(servers.a(), "POST", "/v1/auth/register",
                                  R"({"email":"two@example.com","password":"correct horse battery","name":"Two"})");
        ASSERT_EQ(status, 201);
        token = std::string(reg.at("access_token").as_string());
        auto [wstatus, wss] = call(servers.b(), "GET", "/v1/workspaces");  // the token is good in both
        ASSERT_EQ(wstatus, 200);
        std::string docs =
            "/v1/workspaces/" + std::string(wss.at("items").at(0).at("id").as_string()) + "/knowledge/documents";
        auto add = [&](const std::string& title, const std::string& text) {
            auto [s, d] = call(
                servers.a(), "POST", docs,
                json::serialize(json::object{{"title", title}, {"content", text}, {"content_type", "text/plain"}}));
            EXPECT_EQ(s, 201);
            std::string id(d.at("id").as_string());
            for (int i = 0; i < 400; ++i) {
                auto [gs, g] = call(servers.a(), "GET", docs + "/" + id);
                if (g.at("status").as_string() == "ready") return id;
                std::this_thread::sleep_for(std::chrono::milliseconds(25));
            }
            ADD_FAILURE() << title << " was not ingested";
            return id;
        };
        auto search_b = [&](const std::string& q) {
            std::string path =
                docs.substr(0, docs.size() - std::string("/documents").size()) + "/search?mode=vector&k=5&q=" + q;
            auto [s, r] = call(servers.b(), "GET", path);
            EXPECT_EQ(s, 200);
            std::string titles;
            for (const auto& h : r.at("hits").as_array()) titles += std::string(h.at("title").as_string()) + "|";
            return titles;
        };
        std::string refunds = add("Refunds", "Customers get their money refunded within fourteen days.");
        add("Photos", "Change the profile photo and crop it.");
        EXPECT_EQ(search_b("reimbursement").substr(0, 8), "Refunds|");  // B builds its index
        auto [ds, deleted] = call(servers.a(), "DELETE", docs + "/" + refunds);
        EXPECT_EQ(ds, 204);
        EXPECT_EQ(search_b("reimbursement").find("Refunds"), std::string::npos);
        add("Money back", "Customers get their money refunded within fourteen days.");
        EXPECT_EQ(search_b("reimbursement").substr(0, 11), "Money back|");  // B's index took it in
    }
    std::filesystem::remove_all(data);
}

}  // namespace
}  // namespace uxf::testing
