#include <gtest/gtest.h>

#include <latch>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "uxf/core/result.hpp"
#include "uxf/platform/jobs.hpp"
#include "uxf/testing/test_database.hpp"

namespace uxf::jobs {
namespace {

constexpr Micros kStart = 1'800'000'000 * kSecond;

class JobsTest : public ::testing::Test {
  protected:
    explicit JobsTest(bool concurrent = false) : tdb_(concurrent) {
        db::Migrate(db(), db::PlatformMigrations());
        db().Write([](db::Tx& tx) { tx.Exec("CREATE TABLE effects (job_id TEXT NOT NULL, owner TEXT NOT NULL)"); });
        bus_.Subscribe("job.", [this](const events::Event& e) {
            std::lock_guard lock(mu_);
            events_.push_back(e.name);
        });
        settings_.lease = 10 * kSecond;
        settings_.retry_delay = 10 * kSecond;
        settings_.max_retry_delay = 15 * kSecond;
        settings_.max_attempts = 3;
    }
    db::Database& db() { return tdb_.db(); }
    std::string Add(const std::string& kind, const std::string& payload = "") {
        return db().Write([&](db::Tx& tx) {
            return Enqueue(tx, {kind, "wsp_1", "doc_1", payload, "req_1"}, clock_.Now(), settings_);
        });
    }
    Job Load(const std::string& id) {
        return *db().Read([&](db::Tx& tx) { return Get(tx, id); });
    }
    std::int64_t Effects(const std::string& id) {
        return db().Read(
            [&](db::Tx& tx) { return tx.QueryOne("SELECT COUNT(*) FROM effects WHERE job_id = :id", {id})->Int(0); });
    }
    std::string Events() {
        std::lock_guard lock(mu_);
        std::string out;
        for (const auto& e : events_) out += e + " ";
        return out;
    }
    // Makes the job look claimed by a process that then died (its lease ran out `ago` before now).
    void ClaimedByTheDead(const std::string& id, std::int64_t attempts) {
        db().Write([&](db::Tx& tx) {
            tx.Exec(
                "UPDATE jobs SET status = 'running', owner = 'run_dead', lease_until = :l, attempts = :a WHERE "
                "id = :id",
                {clock_.Now() - kSecond, attempts, id});
        });
    }

    uxf::testing::TestDatabase tdb_;
    ManualClock clock_{kStart};
    events::InProcessEventBus bus_;
    JobSettings settings_;
    std::mutex mu_;
    std::vector<std::string> events_;
};

TEST_F(JobsTest, AJobRunsOnceWithItsResultCommittedWithItsCompletion) {
    Runner runner(db(), bus_, clock_, settings_);
    std::vector<std::string> seen;
    runner.Register("test.echo", [&](Context& ctx) {
        seen.push_back(ctx.job().payload + "@" + ctx.job().workspace_id + "/" + ctx.job().subject_id);
        ctx.Progress(40, "halfway");
        ctx.Finish(
            [&](db::Tx& tx) { tx.Exec("INSERT INTO effects (job_id, owner) VALUES (:j, 'me')", {ctx.job().id}); });
    });
    // Enqueued in a transaction that rolled back: there is no job.
    auto refused = db().Write([&](db::Tx& tx) -> Result<void> {
        Enqueue(tx, {"test.echo"}, clock_.Now(), settings_);
        return Error::Invalid("changed my mind");
    });
    EXPECT_FALSE(refused.ok());
    EXPECT_FALSE(runner.RunOne());
    std::string id = Add("test.echo", "hello");
    EXPECT_EQ(Load(id).status, Status::kQueued);
    EXPECT_TRUE(runner.RunOne());
    EXPECT_FALSE(runner.RunOne());
    EXPECT_EQ(seen, std::vector<std::string>{"hello@wsp_1/doc_1"});
    Job job = Load(id);
    EXPECT_EQ(job.status, Status::kSucceeded);
    EXPECT_EQ(job.attempts, 1);
    EXPECT_EQ(job.progress, 100);
    EXPECT_EQ(job.progress_note, "halfway");
    EXPECT_EQ(job.finished_at, kStart);
    EXPECT_EQ(Effects(id), 1);
    EXPECT_EQ(Events(), "job.started job.progress job.succeeded ");
}

TEST_F(JobsTest, OnlyRegisteredKindsAreClaimed) {
    Runner runner(db(), bus_, clock_, settings_);
    runner.Register("test.mine", [](Context&) {});
    std::string other = Add("test.other");
    EXPECT_FALSE(runner.RunOne());
    EXPECT_EQ(Load(other).status, Status::kQueued);
    std::string mine = Add("test.mine");
    EXPECT_TRUE(runner.RunOne());
    EXPECT_EQ(Load(mine).status, Status::kSucceeded);  // returned without Finish: succeeded, nothing of its own
}

TEST_F(JobsTest, TransientFailuresRetryAfterGrowingDelaysThenFail) {
    Runner runner(db(), bus_, clock_, settings_);
    int runs = 0;
    runner.Register("test.flaky", [&](Context&) {
        ++runs;
        throw TransientError("provider answered 503");
    });
    std::string id = Add("test.flaky");
    EXPECT_TRUE(runner.RunOne());
    Job job = Load(id);
    EXPECT_EQ(job.status, Status::kQueued);
    EXPECT_EQ(job.error, "provider answered 503");
    EXPECT_GE(job.run_after, kStart + 8 * kSecond);  // 10 s with up to 20% jitter
    EXPECT_LE(job.run_after, kStart + 12 * kSecond);
    EXPECT_FALSE(runner.RunOne());  // not due yet
    clock_.Set(job.run_after);
    EXPECT_TRUE(runner.RunOne());
    job = Load(id);
    EXPECT_GE(job.run_after - clock_.Now(), 12 * kSecond);  // 20 s, capped at 15 s, with jitter
    EXPECT_LE(job.run_after - clock_.Now(), 18 * kSecond);
    clock_.Set(job.run_after);
    EXPECT_TRUE(runner.RunOne());  // the third start is the last
    job = Load(id);
    EXPECT_EQ(job.status, Status::kFailed);
    EXPECT_EQ(job.attempts, 3);
    EXPECT_EQ(job.error, "provider answered 503");
    EXPECT_EQ(runs, 3);
    clock_.Advance(kHour);
    EXPECT_FALSE(runner.RunOne());
    EXPECT_EQ(Events(), "job.started job.retrying job.started job.retrying job.started job.failed ");
}

TEST_F(JobsTest, OtherErrorsFailAtOnce) {
    Runner runner(db(), bus_, clock_, settings_);
    runner.Register("test.bug", [](Context&) { throw std::runtime_error("the PDF has no text layer"); });
    std::string id = Add("test.bug");
    EXPECT_TRUE(runner.RunOne());
    EXPECT_EQ(Load(id).status, Status::kFailed);
    EXPECT_EQ(Load(id).error, "the PDF has no text layer");
    EXPECT_EQ(Load(id).attempts, 1);
}

// What a job holds (credits) is given back in the transaction that ends it without its handler's Finish: a failed
// handler, a cancellation while it ran, a job whose processes all died; never for a job that finished.
TEST_F(JobsTest, AbandonedJobsGiveBackWhatTheyHeldInTheTransactionThatEndsThem) {
    Runner runner(db(), bus_, clock_, settings_);
    std::string cancel_id;
    auto abandon = [](db::Tx& tx, const Job& job) {
        tx.Exec("INSERT INTO effects (job_id, owner) VALUES (:id, 'abandoned')", {job.id});
    };
    runner.Register(
        "test.bug", [](Context&) { throw std::runtime_error("broken"); }, abandon);
    runner.Register(
        "test.done", [](Context& ctx) { ctx.Finish([](db::Tx&) {}); }, abandon);
    runner.Register(
        "test.cancelled",
        [&](Context& ctx) {
            db::PendingEvents pending;
            db().Write([&](db::Tx& tx) { return Cancel(tx, cancel_id, clock_.Now(), pending); });
            ctx.Progress(50, "step");
        },
        abandon);
    runner.Register(
        "test.dead", [](Context&) {}, abandon);
    std::string bug = Add("test.bug"), done = Add("test.done");
    cancel_id = Add("test.cancelled");
    while (runner.RunOne()) {
    }
    std::string dead = Add("test.dead");
    ClaimedByTheDead(dead, settings_.max_attempts);
    runner.Keep();
    EXPECT_EQ(Load(bug).status, Status::kFailed);
    EXPECT_EQ(Effects(bug), 1);
    EXPECT_EQ(Load(done).status, Status::kSucceeded);
    EXPECT_EQ(Effects(done), 0);
    EXPECT_EQ(Load(cancel_id).status, Status::kCancelled);
    EXPECT_EQ(Effects(cancel_id), 1);
    EXPECT_EQ(Load(dead).status, Status::kFailed);
    EXPECT_EQ(Effects(dead), 1);
}

TEST_F(JobsTest, CancellingAQueuedJobMeansItNeverRuns) {
    Runner runner(db(), bus_, clock_, settings_);
    bool ran = false;
    runner.Register("test.job", [&](Context&) { ran = true; });
    std::string id = Add("test.job");
    db::PendingEvents pending;
    EXPECT_TRUE(db().Write([&](db::Tx& tx) { return Cancel(tx, id, clock_.Now(), pending); }));
    ASSERT_EQ(pending.size(), 1u);
    EXPECT_EQ(pending[0].name, "job.cancelled");
    EXPECT_FALSE(runner.RunOne());
    EXPECT_FALSE(ran);
    EXPECT_EQ(Load(id).status, Status::kCancelled);
    EXPECT_FALSE(db().Write([&](db::Tx& tx) { return Cancel(tx, id, clock_.Now(), pending); }));  // finished
    EXPECT_FALSE(db().Write([&](db::Tx& tx) { return Cancel(tx, "job_nope", clock_.Now(), pending); }));
}

TEST_F(JobsTest, CancellingARunningJobStopsItAtItsNextProgress) {
    Runner runner(db(), bus_, clock_, settings_);
    int steps = 0;
    std::string id;
    runner.Register("test.long", [&](Context& ctx) {
        for (int i = 1; i <= 10; ++i) {
            ctx.Progress(i * 10, "step");
            ++steps;
            if (i == 2) {  // someone cancels it meanwhile
                db::PendingEvents pending;
                EXPECT_TRUE(db().Write([&](db::Tx& tx) { return Cancel(tx, id, clock_.Now(), pending); }));
                EXPECT_TRUE(pending.empty());  // running: asked to stop, not cancelled yet
                EXPECT_EQ(Load(id).status, Status::kRunning);
            }
        }
        ctx.Finish([](db::Tx&) {});
    });
    id = Add("test.long");
    EXPECT_TRUE(runner.RunOne());
    EXPECT_EQ(steps, 2);
    Job job = Load(id);
    EXPECT_EQ(job.status, Status::kCancelled);
    EXPECT_EQ(job.progress, 30);  // it reached the third step, where it learnt of the cancellation
    EXPECT_EQ(Events(), "job.started job.progress job.progress job.cancelled ");
}

TEST_F(JobsTest, JobsOfADeadProcessAreTakenOverOrSettled) {
    Runner runner(db(), bus_, clock_, settings_);
    std::vector<std::int64_t> attempts;
    runner.Register("test.job", [&](Context& ctx) { attempts.push_back(ctx.job().attempts); });
    std::string resumed = Add("test.job"), exhausted = Add("test.job"), cancelled = Add("test.job"),
                alive = Add("test.job");
    ClaimedByTheDead(resumed, 1);
    ClaimedByTheDead(exhausted, 3);
    ClaimedByTheDead(cancelled, 1);
    db().Write([&](db::Tx& tx) { tx.Exec("UPDATE jobs SET cancel_requested = 1 WHERE id = :id", {cancelled}); });
    db().Write([&](db::Tx& tx) {  // claimed by a live process: its lease runs for another 5 s
        tx.Exec(
            "UPDATE jobs SET status = 'running', owner = 'run_alive', lease_until = :l, attempts = 1 WHERE id = :id",
            {clock_.Now() + 5 * kSecond, alive});
    });
    runner.Keep();
    EXPECT_EQ(Load(exhausted).status, Status::kFailed);
    EXPECT_EQ(Load(cancelled).status, Status::kCancelled);
    EXPECT_TRUE(runner.RunOne());
    EXPECT_FALSE(runner.RunOne());
    EXPECT_EQ(Load(resumed).status, Status::kSucceeded);
    EXPECT_EQ(attempts, std::vector<std::int64_t>{2});
    EXPECT_EQ(Load(alive).status, Status::kRunning);
    clock_.Advance(6 * kSecond);  // the live one stopped renewing: now it is taken over too
    EXPECT_TRUE(runner.RunOne());
    EXPECT_EQ(Load(alive).status, Status::kSucceeded);
}

class ConcurrentJobsTest : public JobsTest {
  protected:
    ConcurrentJobsTest() : JobsTest(true) {}
};

// A process that lost its job (its lease expired and another took it over) can neither report progress nor
// store a result: the job's effect is stored once, by the process that holds it.
TEST_F(ConcurrentJobsTest, AProcessThatLostItsJobCannotFinishIt) {
    Runner slow(db(), bus_, clock_, settings_), fast(db(), bus_, clock_, settings_);
    std::latch claimed(1), taken_over(1);
    bool slow_stopped = false;
    slow.Register("test.job", [&](Context& ctx) {
        ctx.Progress(10, "started");
        claimed.count_down();
        taken_over.wait();
        try {
            ctx.Finish([&](db::Tx& tx) {
                tx.Exec("INSERT INTO effects (job_id, owner) VALUES (:j, 'slow')", {ctx.job().id});
            });
        } catch (const Stopped&) {
            slow_stopped = true;
            throw;
        }
    });
    fast.Register("test.job", [&](Context& ctx) {
        ctx.Finish(
            [&](db::Tx& tx) { tx.Exec("INSERT INTO effects (job_id, owner) VALUES (:j, 'fast')", {ctx.job().id}); });
    });
    std::string id = Add("test.job");
    std::thread t([&] { EXPECT_TRUE(slow.RunOne()); });
    claimed.wait();
    EXPECT_FALSE(fast.RunOne());  // held
    clock_.Advance(settings_.lease + kSecond);
    EXPECT_TRUE(fast.RunOne());
    taken_over.count_down();
    t.join();
    EXPECT_TRUE(slow_stopped);
    EXPECT_EQ(Effects(id), 1);
    EXPECT_EQ(db().Read([&](db::Tx& tx) { return tx.QueryOne("SELECT owner FROM effects")->Str(0); }), "fast");
    Job job = Load(id);
    EXPECT_EQ(job.status, Status::kSucceeded);
    EXPECT_EQ(job.attempts, 2);
}

TEST_F(ConcurrentJobsTest, ManyWorkersInTwoRunnersRunEveryJobExactlyOnce) {
    SystemClock clock;
    settings_.workers = 3;
    settings_.poll_ms = 20;
    std::mutex mu;
    std::map<std::string, int> runs;
    auto handler = [&](Context& ctx) {
        {
            std::lock_guard lock(mu);
            ++runs[ctx.job().id];
        }
        ctx.Finish(
            [&](db::Tx& tx) { tx.Exec("INSERT INTO effects (job_id, owner) VALUES (:j, 'x')", {ctx.job().id}); });
    };
    Runner a(db(), bus_, clock, settings_), b(db(), bus_, clock, settings_);
    a.Register("test.job", handler);
    b.Register("test.job", handler);
    a.Start();
    b.Start();
    std::set<std::string> ids;
    for (int i = 0; i < 40; ++i) {
        ids.insert(db().Write([&](db::Tx& tx) { return Enqueue(tx, {"test.job"}, clock.Now(), settings_); }));
        if (i % 2) a.Notify();
    }
    for (int i = 0; i < 500; ++i) {
        auto done = db().Read(
            [](db::Tx& tx) { return tx.QueryOne("SELECT COUNT(*) FROM jobs WHERE status = 'succeeded'")->Int(0); });
        if (done == 40) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    a.Stop();
    b.Stop();
    EXPECT_EQ(db().Read([](db::Tx& tx) { return tx.QueryOne("SELECT COUNT(*) FROM effects")->Int(0); }), 40);
    ASSERT_EQ(runs.size(), 40u);
    for (const auto& [id, n] : runs) {
        EXPECT_TRUE(ids.contains(id));
        EXPECT_EQ(n, 1) << id;
    }
}

TEST_F(ConcurrentJobsTest, StoppingPutsRunningJobsBackInTheQueue) {
    SystemClock clock;
    settings_.workers = 1;
    settings_.poll_ms = 10;
    std::latch started(1);
    Runner runner(db(), bus_, clock, settings_);
    runner.Register("test.long", [&](Context& ctx) {
        started.count_down();
        while (!ctx.ShouldStop()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
        ctx.ThrowIfStopped();
    });
    std::string id = db().Write([&](db::Tx& tx) { return Enqueue(tx, {"test.long"}, clock.Now(), settings_); });
    runner.Start();
    started.wait();
    runner.Stop();
    Job job = Load(id);
    EXPECT_EQ(job.status, Status::kQueued);
    EXPECT_EQ(job.attempts, 0);  // an interrupted start does not count
    // The next runner (a restart, or another process) resumes it at once.
    Runner next(db(), bus_, clock, settings_);
    next.Register("test.long", [](Context&) {});
    EXPECT_TRUE(next.RunOne());
    EXPECT_EQ(Load(id).status, Status::kSucceeded);
}

}  // namespace
}  // namespace uxf::jobs
