// Durable jobs across a crash: a process running a job is killed with SIGKILL in the middle of it; another
// process takes the job over once its lease expires, finishes it, and the job's effect is stored exactly once.
// The worker is tests/jobs/job_worker.cpp (the platform's job runner and one test job kind).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "uxf/core/clock.hpp"
#include "uxf/platform/jobs.hpp"
#include "uxf/testing/test_database.hpp"

namespace uxf::testing {
namespace {

// `job_worker` in a child process; its first line of output is its runner's owner name.
class Worker {
  public:
    Worker(const db::DbSettings& s, int lease_ms) {
        std::string lease = std::to_string(lease_ms);
        int fds[2];
        if (::pipe(fds) != 0) throw std::runtime_error("pipe");
        pid_ = ::fork();
        if (pid_ == 0) {
            ::dup2(fds[1], 1);
            ::close(fds[0]);
            ::close(fds[1]);
            if (s.postgres_schema.empty())
                ::execl(JOB_WORKER_BINARY, JOB_WORKER_BINARY, lease.c_str(), s.url.c_str(), nullptr);
            else
                ::execl(JOB_WORKER_BINARY, JOB_WORKER_BINARY, lease.c_str(), s.url.c_str(), s.postgres_schema.c_str(),
                        nullptr);
            ::_exit(127);
        }
        ::close(fds[1]);
        char c;
        while (::read(fds[0], &c, 1) == 1 && c != '\n') owner_ += c;
        ::close(fds[0]);
    }
    ~Worker() { Signal(SIGKILL); }
    void Kill9() { Signal(SIGKILL); }
    /// SIGTERM: a graceful stop; the exit code.
    int Stop() { return Signal(SIGTERM); }
    const std::string& owner() const { return owner_; }

  private:
    int Signal(int sig) {
        if (pid_ <= 0) return -1;
        ::kill(pid_, sig);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    pid_t pid_ = -1;
    std::string owner_;
};

class JobCrashTest : public ::testing::Test {
  protected:
    JobCrashTest() : tdb_(true) {
        db::Migrate(db(), db::PlatformMigrations());
        db().Write([](db::Tx& tx) { tx.Exec("CREATE TABLE job_effects (job_id TEXT NOT NULL, owner TEXT NOT NULL)"); });
    }
    db::Database& db() { return tdb_.db(); }
    std::string Enqueue(int steps) {
        return db().Write([&](db::Tx& tx) {
            return jobs::Enqueue(tx, {"test.steps", "", "", std::to_string(steps)}, clock_.Now(), {});
        });
    }
    jobs::Job Load(const std::string& id) {
        return *db().Read([&](db::Tx& tx) { return jobs::Get(tx, id); });
    }
    std::string Owner(const std::string& id) {
        return db().Read(
            [&](db::Tx& tx) { return tx.QueryOne("SELECT owner FROM jobs WHERE id = :id", {id})->Str(0); });
    }
    // Waits (up to 20 s) until `done` holds for the job.
    template <class Pred>
    jobs::Job WaitFor(const std::string& id, Pred done) {
        for (int i = 0; i < 400; ++i) {
            jobs::Job j = Load(id);
            if (done(j)) return j;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        ADD_FAILURE() << "job " << id << " did not get there";
        return Load(id);
    }
    std::vector<std::pair<std::string, std::string>> Effects() {
        auto rows =
            db().Read([](db::Tx& tx) { return tx.Query("SELECT job_id, owner FROM job_effects ORDER BY job_id"); });
        std::vector<std::pair<std::string, std::string>> out;
        for (const auto& r : rows) out.emplace_back(r.Str(0), r.Str(1));
        return out;
    }

    TestDatabase tdb_;
    SystemClock clock_;
};

TEST_F(JobCrashTest, AJobWhoseProcessIsKilledIsTakenOverAndStoredOnce) {
    std::string id = Enqueue(20);  // 20 steps of 50 ms
    std::string first_owner;
    {
        Worker a(tdb_.settings(), 1000);  // a one-second lease
        jobs::Job j = WaitFor(id, [](const jobs::Job& j) { return j.progress >= 25; });
        EXPECT_EQ(j.status, jobs::Status::kRunning);
        first_owner = Owner(id);
        EXPECT_EQ(first_owner, a.owner());
        a.Kill9();  // in the middle of the job: no cleanup, the lease stays
    }
    EXPECT_EQ(Load(id).status, jobs::Status::kRunning);
    std::string queued = Enqueue(2);  // waiting while nobody runs jobs: the next process starts it
    Worker b(tdb_.settings(), 1000);
    jobs::Job done = WaitFor(id, [](const jobs::Job& j) { return j.status == jobs::Status::kSucceeded; });
    EXPECT_EQ(done.attempts, 2);
    EXPECT_EQ(done.progress, 100);
    WaitFor(queued, [](const jobs::Job& j) { return j.status == jobs::Status::kSucceeded; });
    EXPECT_EQ(b.Stop(), 0);
    auto effects = Effects();
    ASSERT_EQ(effects.size(), 2u);
    for (const auto& [job, owner] : effects) EXPECT_EQ(owner, b.owner()) << job;  // never by the killed one
    EXPECT_NE(b.owner(), first_owner);
}

TEST_F(JobCrashTest, AGracefulStopHandsTheJobToTheNextProcessAtOnce) {
    std::string id = Enqueue(40);       // 2 s
    Worker a(tdb_.settings(), 10'000);  // a ten-second lease
    WaitFor(id, [](const jobs::Job& j) { return j.progress >= 10; });
    EXPECT_EQ(a.Stop(), 0);  // SIGTERM: the job goes back to the queue, not counted as an attempt
    jobs::Job back = Load(id);
    EXPECT_EQ(back.status, jobs::Status::kQueued);
    EXPECT_EQ(back.attempts, 0);
    auto t0 = std::chrono::steady_clock::now();
    Worker b(tdb_.settings(), 10'000);
    WaitFor(id, [](const jobs::Job& j) { return j.status == jobs::Status::kRunning; });
    // Taken at once, not after the lease (ten seconds) ran out.
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
    WaitFor(id, [](const jobs::Job& j) { return j.status == jobs::Status::kSucceeded; });
    EXPECT_EQ(Effects().size(), 1u);
}

}  // namespace
}  // namespace uxf::testing
