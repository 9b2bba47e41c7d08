// Nothing acknowledged is lost across a crash: the real binary is killed with SIGKILL right after answering.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <boost/json.hpp>

#include "uxf/core/ids.hpp"
#include "uxf/platform/http_client.hpp"
#include "uxf/testing/test_database.hpp"

namespace uxf::testing {
namespace {

class ServerProcess {
  public:
    ServerProcess(const std::filesystem::path& data, unsigned short port, const std::string& db_url) {
        pid_ = ::fork();
        if (pid_ == 0) {
            ::setenv("UXFLOW_DATA_DIR", data.c_str(), 1);
            ::setenv("UXFLOW_LISTEN", ("127.0.0.1:" + std::to_string(port)).c_str(), 1);
            ::setenv("UXFLOW_LOG_LEVEL", "warn", 1);
            ::setenv("UXFLOW_JWT_SECRET", "crash-test-secret-crash-test-secret-0123", 1);
            ::setenv("UXFLOW_SECRET_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 1);
            if (!db_url.empty()) ::setenv("UXFLOW_DATABASE_URL", db_url.c_str(), 1);
            ::execl(UXFLOW_BINARY, UXFLOW_BINARY, "serve", static_cast<char*>(nullptr));
            ::_exit(127);
        }
        base_ = "http://127.0.0.1:" + std::to_string(port);
        http::HttpClient client;
        for (int i = 0; i < 100; ++i) {
            try {
                if (client.Send({"GET", base_ + "/healthz", {}, "", 1000}).status == 200) return;
            } catch (const std::exception&) {
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        ADD_FAILURE() << "server did not start";
    }
    void Kill9() {
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }
    ~ServerProcess() {
        if (pid_ > 0) Kill9();
    }
    const std::string& base() const { return base_; }

  private:
    pid_t pid_ = -1;
    std::string base_;
};

unsigned short FreePort() {
    // Ask the kernel for a free port by binding to 0 (a tiny race with other tests is acceptable here).
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

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
