// Credit reservations per second: each call reserves 1 credit and captures it (two transactions, as a generation
// does), from several threads at once, against one contended workspace and spread over 100 workspaces.
//
//   build/release/bench/ledger_bench [--db URL] [--threads N] [--seconds S]
//
// Default database: a fresh SQLite file in /tmp (WAL, as the server keeps it); `--db postgres://...` for PostgreSQL
// (tables in the database's default schema).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "uxf/billing/ledger.hpp"
#include "uxf/billing/migrations.hpp"
#include "uxf/core/ids.hpp"
#include "uxf/platform/database.hpp"

namespace {

using namespace uxf;

struct Outcome {
    double per_second = 0;
    long refused = 0, failed = 0;
};

Outcome Run(billing::Ledger& ledger, const std::vector<std::string>& workspaces, int threads, int seconds) {
    std::atomic<long> done = 0, refused = 0, failed = 0;
    std::atomic<bool> stop = false;
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            for (std::size_t i = static_cast<std::size_t>(t); !stop; ++i) {
                const std::string& ws = workspaces[i % workspaces.size()];
                auto hold = ledger.Reserve(ws, 1, "bench", "usr_bench");
                if (!hold.ok()) {
                    ++(hold.error().slug == "insufficient_credits" ? refused : failed);
                    continue;
                }
                if (ledger.Capture(hold->id).ok())
                    ++done;
                else
                    ++failed;
            }
        });
    auto start = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    stop = true;
    for (auto& t : pool) t.join();
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return {double(done) / elapsed, refused, failed};
}

}  // namespace

int main(int argc, char** argv) {
    std::string url;
    int threads = 8, seconds = 5;
    for (int i = 1; i + 1 < argc; ++i) {
        std::string a = argv[i];
        if (a == "--db")
            url = argv[++i];
        else if (a == "--threads")
            threads = std::stoi(argv[++i]);
        else if (a == "--seconds")
            seconds = std::stoi(argv[++i]);
    }
    std::filesystem::path tmp;
    if (url.empty()) {
        tmp = std::filesystem::temp_directory_path() / NewId("ledger-bench");
        std::filesystem::create_directories(tmp);
        url = "sqlite://" + (tmp / "bench.db").string();
    }
    auto db = db::OpenDatabase({.url = url});
    db::Migrate(*db, billing::Migrations());
    SystemClock clock;
    billing::Ledger ledger(*db, clock);
    std::string run = NewId("b");
    std::vector<std::string> one{run + "_one"}, hundred;
    for (int i = 0; i < 100; ++i) hundred.push_back(run + "_" + std::to_string(i));
    for (const auto& ws : one) (void)ledger.Grant(ws, 100'000'000, "admin", "bench", "usr_bench");
    for (const auto& ws : hundred) (void)ledger.Grant(ws, 100'000'000, "admin", "bench", "usr_bench");
    for (auto [name, set] : {std::pair{"one workspace", &one}, std::pair{"100 workspaces", &hundred}}) {
        auto o = Run(ledger, *set, threads, seconds);
        std::printf("%s, %d threads, %s: %.0f reservations captured per second (refused %ld, failed %ld)\n",
                    db->backend() == db::Backend::kSqlite ? "SQLite" : "PostgreSQL", threads, name, o.per_second,
                    o.refused, o.failed);
    }
    auto bad = ledger.Verify();
    std::printf("ledger %s\n", bad.empty() ? "adds up" : "DOES NOT ADD UP");
    if (!tmp.empty()) std::filesystem::remove_all(tmp);
    return bad.empty() ? 0 : 1;
}
