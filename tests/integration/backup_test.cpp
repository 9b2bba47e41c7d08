// Online backups of the SQLite database: `uxflow admin backup` under a write load keeps every write acknowledged
// before it started, `uxflow admin restore` brings them back on a new server, and bad input is refused.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include <boost/json.hpp>

#include "server_process.hpp"
#include "uxf/core/ids.hpp"
#include "uxf/platform/database.hpp"
#include "uxf/platform/http_client.hpp"
#include "uxf/testing/test_database.hpp"

namespace uxf::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using SteadyClock = std::chrono::steady_clock;

constexpr int kNodesPerFlow = 40;
// The load must not be throttled or capped: rate limits off, room for many flows per workspace.
const Env kUnlimited{{"UXFLOW_RATE_LIMIT_IP_RPS", "0"},
                     {"UXFLOW_RATE_LIMIT_USER_RPS", "0"},
                     {"UXFLOW_MAX_FLOWS_PER_WORKSPACE", "100000"}};

std::string FlowBody(const std::string& name) {
    json::array nodes, edges;
    for (int i = 0; i < kNodesPerFlow; ++i) {
        std::string type = i == 0 ? "start" : i + 1 == kNodesPerFlow ? "end" : "screen";
        nodes.push_back(json::object{{"id", "n" + std::to_string(i)},
                                     {"type", type},
                                     {"label", "Step " + std::to_string(i) + " of the " + name + " journey"}});
        if (i > 0)
            edges.push_back(json::object{
                {"source", "n" + std::to_string(i - 1)}, {"target", "n" + std::to_string(i)}, {"trigger", "click"}});
    }
    return json::serialize(json::object{{"name", name}, {"nodes", nodes}, {"edges", edges}});
}

struct User {
    std::string token, workspace;
};

User Register(http::HttpClient& client, const std::string& base, const std::string& email) {
    auto r = client.Send({"POST",
                          base + "/v1/auth/register",
                          {{"Content-Type", "application/json"}},
                          R"({"email":")" + email + R"(","password":"correct horse battery","name":"Writer"})",
                          20000});
    EXPECT_EQ(r.status, 201) << r.body;
    if (r.status != 201) return {};
    auto o = json::parse(r.body).as_object();
    return {std::string(o.at("access_token").as_string()), std::string(o.at("workspace").at("id").as_string())};
}

// A write the server acknowledged (201), and when the client saw the acknowledgement.
struct Ack {
    std::string flow_id, name, token;
    SteadyClock::time_point at;
};

class Backup : public ::testing::Test {
  protected:
    void SetUp() override {
        if (TestDatabase::UsingPostgres()) GTEST_SKIP() << "SQLite backups; PostgreSQL uses pg_dump";
        fs::create_directories(root_);
    }
    void TearDown() override { fs::remove_all(root_); }

    CommandResult Uxflow(const fs::path& data, const std::vector<std::string>& args, const std::string& url = "") {
        return RunUxflow(ServerEnv(data, 0, url), args);
    }

    // A data dir with a database that a server created and filled a little, the server stopped.
    fs::path StoppedDataDir(const std::string& name) {
        auto data = root_ / name;
        ServerProcess server(data, FreePort(), "");
        http::HttpClient client;
        Register(client, server.base(), name + "@example.com");
        server.Stop();
        return data;
    }

    fs::path root_ = fs::temp_directory_path() / NewId("backup");
};

std::string ReadAll(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

TEST_F(Backup, OnlineBackupUnderLoadRestoresEveryAcknowledgedWrite) {
    auto live_dir = root_ / "live";
    auto file = root_ / "uxflow-backup.db";
    std::mutex mu;
    std::vector<Ack> acks;
    std::atomic<bool> stop{false};
    std::atomic<int> failures{0};
    SteadyClock::time_point backup_start, backup_end;
    CommandResult backup;
    {
        ServerProcess live(live_dir, FreePort(), "", kUnlimited);
        std::vector<std::thread> writers;
        for (int w = 0; w < 4; ++w)
            writers.emplace_back([&, w] {
                http::HttpClient client;
                auto user = Register(client, live.base(), "writer" + std::to_string(w) + "@example.com");
                for (int n = 0; !stop && !user.token.empty(); ++n) {
                    std::string name = "w" + std::to_string(w) + "-" + std::to_string(n);
                    try {
                        auto r = client.Send(
                            {"POST",
                             live.base() + "/v1/workspaces/" + user.workspace + "/flows",
                             {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + user.token}},
                             FlowBody(name),
                             20000});
                        auto at = SteadyClock::now();
                        if (r.status != 201) {
                            ++failures;
                            continue;
                        }
                        auto id = std::string(json::parse(r.body).at("id").as_string());
                        std::lock_guard lock(mu);
                        acks.push_back({id, name, user.token, at});
                    } catch (const std::exception&) {
                        ++failures;
                    }
                }
            });
        auto count = [&] {
            std::lock_guard lock(mu);
            return acks.size();
        };
        auto deadline = SteadyClock::now() + std::chrono::seconds(60);
        while (count() < 400 && SteadyClock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        backup_start = SteadyClock::now();
        backup = Uxflow(live_dir, {"admin", "backup", file.string()});
        backup_end = SteadyClock::now();
        std::this_thread::sleep_for(std::chrono::milliseconds(300));  // writes the backup must not contain
        stop = true;
        for (auto& t : writers) t.join();
        live.Stop();
    }
    ASSERT_EQ(backup.exit_code, 0) << backup.output;
    std::cout << "[ backup   ] " << backup.output.substr(0, backup.output.find('\n')) << "\n";
    EXPECT_EQ(failures.load(), 0);

    std::vector<const Ack*> before, after;
    std::size_t during = 0;
    for (const auto& a : acks) {
        if (a.at < backup_start)
            before.push_back(&a);
        else if (a.at > backup_end)
            after.push_back(&a);
        else
            ++during;
    }
    std::cout << "[ backup   ] writes acknowledged before: " << before.size() << ", during: " << during
              << ", after: " << after.size() << "\n";
    ASSERT_GE(before.size(), 400u);
    EXPECT_GT(during, 0u) << "the write load did not run during the backup";
    ASSERT_GT(after.size(), 0u);

    auto restored_dir = root_ / "restored";
    auto restore = Uxflow(restored_dir, {"admin", "restore", file.string()});
    ASSERT_EQ(restore.exit_code, 0) << restore.output;
    ServerProcess restored(restored_dir, FreePort(), "", kUnlimited);
    http::HttpClient client;
    EXPECT_EQ(client.Send({"GET", restored.base() + "/readyz", {}, "", 5000}).status, 200);
    auto get = [&](const Ack& a) {
        return client.Send(
            {"GET", restored.base() + "/v1/flows/" + a.flow_id, {{"Authorization", "Bearer " + a.token}}, "", 10000});
    };
    int missing = 0;
    for (const Ack* a : before) {
        auto r = get(*a);
        if (r.status != 200) {
            if (++missing <= 5) ADD_FAILURE() << a->name << " (" << a->flow_id << "): " << r.status << " " << r.body;
            continue;
        }
        auto flow = json::parse(r.body).as_object();
        EXPECT_EQ(flow.at("name").as_string(), a->name);
        EXPECT_EQ(flow.at("nodes").as_array().size(), static_cast<std::size_t>(kNodesPerFlow));
    }
    EXPECT_EQ(missing, 0) << "acknowledged writes missing from the restored backup";
    // A snapshot from when the backup started: what was acknowledged after it finished is not in it.
    int found_after = 0;
    for (const Ack* a : after) found_after += get(*a).status == 200;
    EXPECT_EQ(found_after, 0);
    // The restored database takes writes.
    auto more = Register(client, restored.base(), "after-restore@example.com");
    EXPECT_FALSE(more.token.empty());
}

TEST_F(Backup, RestoreRefusesALocationWithADatabase) {
    auto data = StoppedDataDir("existing");
    auto file = root_ / "b.db";
    ASSERT_EQ(Uxflow(data, {"admin", "backup", file.string()}).exit_code, 0);
    auto before = ReadAll(data / "uxflow.db");
    auto r = Uxflow(data, {"admin", "restore", file.string()});
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("already exists"), std::string::npos) << r.output;
    EXPECT_EQ(ReadAll(data / "uxflow.db"), before);
}

TEST_F(Backup, RestoreRefusesFilesThatAreNotAHealthyBackup) {
    auto data = StoppedDataDir("source");
    auto good = root_ / "good.db";
    ASSERT_EQ(Uxflow(data, {"admin", "backup", good.string()}).exit_code, 0);
    auto target = root_ / "empty";
    auto refused = [&](const fs::path& file, const std::string& reason) {
        auto r = Uxflow(target, {"admin", "restore", file.string()});
        EXPECT_EQ(r.exit_code, 2) << file << ": " << r.output;
        EXPECT_NE(r.output.find(reason), std::string::npos) << r.output;
        EXPECT_FALSE(fs::exists(target / "uxflow.db"));
    };
    refused(root_ / "missing.db", "no backup file");
    std::ofstream(root_ / "text.db") << "these are not the pages you are looking for\n";
    refused(root_ / "text.db", "not a SQLite database");

    // One table's page header says it holds 65535 cells: the schema reads fine, the integrity check does not pass.
    auto damaged = root_ / "damaged.db";
    fs::copy_file(good, damaged);
    std::int64_t page = 0;
    {
        auto d = db::OpenDatabase({.url = "sqlite://" + damaged.string(), .pool_size = 1});
        page = d->Read([](db::Tx& tx) {
            return tx.QueryOne("SELECT max(rootpage) FROM sqlite_master WHERE type = 'table'")->Int(0);
        });
    }
    auto bytes = ReadAll(damaged);
    std::size_t page_size = (static_cast<unsigned char>(bytes[16]) << 8) | static_cast<unsigned char>(bytes[17]);
    ASSERT_GT(page, 1);
    ASSERT_GE(bytes.size(), page * page_size);
    bytes[(page - 1) * page_size + 3] = bytes[(page - 1) * page_size + 4] = static_cast<char>(0xFF);
    std::ofstream(damaged, std::ios::binary | std::ios::trunc) << bytes;
    refused(damaged, "integrity check");
    // Damage everywhere after the header page: not even the schema can be read.
    auto wrecked = ReadAll(good);
    for (std::size_t i = page_size; i < wrecked.size(); i += 3) wrecked[i] = static_cast<char>(0x5A);
    std::ofstream(root_ / "wrecked.db", std::ios::binary) << wrecked;
    refused(root_ / "wrecked.db", "restore refused");

    {
        auto other = db::OpenDatabase({.url = "sqlite://" + (root_ / "other.db").string(), .pool_size = 1});
        other->Write([](db::Tx& tx) { tx.Exec("CREATE TABLE notes (body TEXT)"); });
    }
    refused(root_ / "other.db", "not a UX-Flow-Engine backup");

    auto r = Uxflow(target, {"admin", "restore", good.string()});
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(fs::exists(target / "uxflow.db"));
}

TEST_F(Backup, BackupRefusesToOverwriteOrToCopyNothing) {
    auto data = StoppedDataDir("src");
    auto file = root_ / "b.db";
    std::ofstream(file) << "an older backup";
    auto r = Uxflow(data, {"admin", "backup", file.string()});
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_EQ(ReadAll(file), "an older backup");
    r = Uxflow(data, {"admin", "backup", "--force", file.string()});
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(ReadAll(file).rfind("SQLite format 3", 0), std::string::npos);
    r = Uxflow(root_ / "never-served", {"admin", "backup", (root_ / "c.db").string()});
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("no SQLite database"), std::string::npos) << r.output;
}

// Needs no database server, so it runs on the PostgreSQL runs too.
TEST(BackupAdvice, PostgresIsPointedToPgDumpWithoutThePassword) {
    const std::string url = "postgres://uxflow:s3cret-pw@db.example.internal:5433/flowsdb";
    auto data = fs::temp_directory_path() / NewId("pgadvice");
    for (const char* command : {"backup", "restore"}) {
        // The same settings as the servers, minus the secrets: copying needs none.
        auto r = RunUxflow({{"UXFLOW_DATABASE_URL", url}, {"UXFLOW_DATA_DIR", data.string()}},
                           {"admin", command, "/tmp/uxflow.dump"});
        EXPECT_EQ(r.exit_code, 2) << r.output;
        for (const char* part : {"pg_dump --format=custom", "pg_restore", "--host=db.example.internal", "--port=5433",
                                 "--username=uxflow", "--dbname=flowsdb", "/tmp/uxflow.dump"})
            EXPECT_NE(r.output.find(part), std::string::npos) << part << " in " << r.output;
        EXPECT_EQ(r.output.find("s3cret"), std::string::npos) << r.output;
    }
    EXPECT_FALSE(fs::exists(data));  // nothing written, no secrets generated
}

}  // namespace
}  // namespace uxf::testing
