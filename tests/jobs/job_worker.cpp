// A process that runs durable jobs and nothing else, for the crash tests (tests/integration/job_crash_test.cpp):
// `job_worker LEASE_MS DATABASE_URL [POSTGRES_SCHEMA]` runs jobs of kind `test.steps` (payload: the number of 50 ms
// steps) until it is stopped (SIGTERM: gracefully) or killed. Each step records progress; the
// last writes a row to `job_effects` with the job's completion.
#include <csignal>
#include <cstdio>
#include <string>
#include <thread>

#include "uxf/platform/database.hpp"
#include "uxf/platform/events.hpp"
#include "uxf/platform/jobs.hpp"

int main(int argc, char** argv) {
    using namespace uxf;
    if (argc < 3) {
        std::fprintf(stderr, "usage: job_worker LEASE_MS DATABASE_URL [POSTGRES_SCHEMA]\n");
        return 2;
    }
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);  // threads started below inherit the mask; main waits for it

    db::DbSettings dbs;
    dbs.url = argv[2];
    dbs.pool_size = 4;
    if (argc > 3) dbs.postgres_schema = argv[3];
    auto db = db::OpenDatabase(dbs);
    events::InProcessEventBus bus;
    SystemClock clock;
    jobs::JobSettings settings;
    settings.workers = 1;
    settings.lease = std::stoll(argv[1]) * 1000;
    settings.poll_ms = 50;
    jobs::Runner runner(*db, bus, clock, settings);
    runner.Register("test.steps", [&](jobs::Context& ctx) {
        int steps = std::stoi(ctx.job().payload);
        for (int i = 1; i <= steps; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            ctx.Progress(i * 100 / steps, "step " + std::to_string(i));
        }
        ctx.Finish([&](db::Tx& tx) {
            tx.Exec("INSERT INTO job_effects (job_id, owner) VALUES (:j, :o)", {ctx.job().id, runner.owner()});
        });
    });
    runner.Start();
    std::printf("%s\n", runner.owner().c_str());
    std::fflush(stdout);
    int sig = 0;
    sigwait(&stop, &sig);
    runner.Stop();
    return 0;
}
