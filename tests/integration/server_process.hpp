// The real `uxflow` binary as a child process: a server on a port, or a one-shot command with its output.
#pragma once
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "uxf/platform/http_client.hpp"
#include "uxf/testing/test_database.hpp"

namespace uxf::testing {

using Env = std::vector<std::pair<std::string, std::string>>;

/// The environment of a test server: its data dir, port, fixed secrets (so tokens and sealed seeds stay valid
/// across servers of one test), and the database URL when not the data dir's SQLite file.
inline Env ServerEnv(const std::filesystem::path& data, unsigned short port, const std::string& db_url) {
    Env env{{"UXFLOW_DATA_DIR", data.string()},
            {"UXFLOW_LISTEN", "127.0.0.1:" + std::to_string(port)},
            {"UXFLOW_LOG_LEVEL", "warn"},
            {"UXFLOW_JWT_SECRET", "crash-test-secret-crash-test-secret-0123"},
            {"UXFLOW_SECRET_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}};
    if (!db_url.empty()) env.emplace_back("UXFLOW_DATABASE_URL", db_url);
    return env;
}

/// The database URL of servers started as processes: the test's PostgreSQL schema when the tests run on
/// PostgreSQL, else empty (the data dir's SQLite file, shared by the processes of one data dir).
inline std::string ProcessDatabaseUrl(const TestDatabase& tdb) {
    if (!TestDatabase::UsingPostgres()) return "";
    return tdb.settings().url + "?options=-csearch_path%3D" + tdb.settings().postgres_schema;
}

// In the child: set the environment and exec the binary (never returns).
[[noreturn]] inline void ExecUxflow(const Env& env, const std::vector<std::string>& args) {
    for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv{const_cast<char*>(UXFLOW_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(UXFLOW_BINARY, argv.data());
    ::_exit(127);
}

struct CommandResult {
    int exit_code = -1;
    std::string output;  ///< stdout and stderr together
};

/// Runs `uxflow ARGS...` with `env` added to the environment and waits for it.
inline CommandResult RunUxflow(const Env& env, const std::vector<std::string>& args) {
    int fds[2];
    if (::pipe(fds) != 0) return {};
    pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(fds[1], 1);
        ::dup2(fds[1], 2);
        ::close(fds[0]);
        ::close(fds[1]);
        ExecUxflow(env, args);
    }
    ::close(fds[1]);
    CommandResult result;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0) result.output.append(buf, static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

/// `uxflow serve` in a child process; the constructor returns once /healthz answers.
class ServerProcess {
  public:
    ServerProcess(const std::filesystem::path& data, unsigned short port, const std::string& db_url,
                  const Env& extra = {}) {
        Env env = ServerEnv(data, port, db_url);
        env.insert(env.end(), extra.begin(), extra.end());
        pid_ = ::fork();
        if (pid_ == 0) ExecUxflow(env, {"serve"});
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
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;
    void Kill9() { Signal(SIGKILL); }
    /// SIGTERM: a graceful stop, as an operator would do it.
    void Stop() { Signal(SIGTERM); }
    ~ServerProcess() {
        if (pid_ > 0) Kill9();
    }
    const std::string& base() const { return base_; }

  private:
    void Signal(int sig) {
        if (pid_ <= 0) return;
        ::kill(pid_, sig);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }
    pid_t pid_ = -1;
    std::string base_;
};

inline unsigned short FreePort() {
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

}  // namespace uxf::testing
