// The job runner: claims due jobs (or jobs whose lease expired) of the kinds it knows, runs their handlers, renews
// their leases while they run, and settles each job by what its handler did. Every change to a claimed job is
// conditional on this runner still owning it, so a process that lost a job to another can change nothing.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "queue.hpp"
#include "uxf/core/ids.hpp"

namespace uxf::jobs {
namespace {

enum class StopReason : int { kNone, kCancelled, kLost, kShutdown };

// A job this runner is running: the keeper and the shutdown tell its handler to stop through it.
struct Running {
    std::atomic<int> reason{0};
    void Stop(StopReason r) {
        int none = 0;
        reason.compare_exchange_strong(none, static_cast<int>(r));
    }
    StopReason why() const { return static_cast<StopReason>(reason.load()); }
};

using Fields = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kOwned = " WHERE id = :id AND owner = :o AND status = 'running'";

}  // namespace

struct Runner::Impl {
    Impl(db::Database& db, events::EventBus& bus, const Clock& clock, JobSettings settings)
        : db(db), bus(bus), clock(clock), settings(settings) {}

    db::Database& db;
    events::EventBus& bus;
    const Clock& clock;
    JobSettings settings;
    std::string owner = NewId("run");
    std::map<std::string, Handler, std::less<>> handlers;
    std::map<std::string, Abandon, std::less<>> abandons;
    std::string claim_sql;

    std::mutex mu;
    std::condition_variable cv;
    bool stopping = false;
    std::uint64_t notified = 0;
    std::vector<std::thread> threads;
    std::map<std::string, std::shared_ptr<Running>> running;  ///< guarded by mu
    std::mt19937_64 rng{std::random_device{}()};              ///< retry jitter, guarded by mu

    void Publish(const Job& job, std::string_view name, Fields extra = {}) {
        auto e = JobEvent(job, name, clock.Now());
        for (auto& f : extra) e.fields.push_back(std::move(f));
        bus.Publish(e);
    }

    // Runs `sql` (an UPDATE of a job this runner owns, ending in `kOwned`, params ending with id and owner) and
    // answers whether it changed the job.
    // With `abandoning`, the kind's Abandon hook runs in the same transaction when the update took.
    bool Owned(const std::string& sql, std::vector<db::Value> params, const Job& job, bool abandoning = false) {
        params.push_back(job.id);
        params.push_back(owner);
        return db.Write([&](db::Tx& tx) {
            bool changed = tx.Exec(sql, params) > 0;
            if (changed && abandoning) RunAbandon(tx, job);
            return changed;
        });
    }

    void RunAbandon(db::Tx& tx, const Job& job) {
        auto it = abandons.find(job.kind);
        if (it != abandons.end() && it->second) it->second(tx, job);
    }

    void BuildClaim() {
        std::string kinds;
        for (std::size_t i = 0; i < handlers.size(); ++i) kinds += (i ? ", :k" : ":k") + std::to_string(i);
        // Due, or running under a lease that expired (its process died); never one that is being cancelled or has
        // had all its starts. PostgreSQL skips rows another claimer holds instead of waiting for it.
        claim_sql = std::string(
                        "UPDATE jobs SET status = 'running', owner = :o, lease_until = :l, attempts = attempts + 1, "
                        "updated_at = :t WHERE id = (SELECT id FROM jobs WHERE ((status = 'queued' AND run_after <= "
                        ":n1) OR (status = 'running' AND lease_until < :n2)) AND cancel_requested = 0 AND attempts < "
                        "max_attempts AND kind IN (") +
                    kinds + ") ORDER BY run_after, created_at, id LIMIT 1" +
                    (db.backend() == db::Backend::kPostgres ? " FOR UPDATE SKIP LOCKED" : "") + ") RETURNING " +
                    kJobColumns;
    }

    std::optional<Job> Claim() {
        if (handlers.empty()) return std::nullopt;
        Micros now = clock.Now();
        std::vector<db::Value> params{owner, now + settings.lease, now, now, now};
        for (const auto& [kind, handler] : handlers) params.emplace_back(kind);
        auto rows = db.Write([&](db::Tx& tx) { return tx.Query(claim_sql, params); });
        if (rows.empty()) return std::nullopt;
        return JobFromRow(rows.front());
    }

    Micros RetryDelay(std::int64_t attempt) {
        double delay = static_cast<double>(settings.retry_delay);
        for (std::int64_t i = 1; i < attempt && delay < static_cast<double>(settings.max_retry_delay); ++i) delay *= 2;
        delay = std::min(delay, static_cast<double>(settings.max_retry_delay));
        std::lock_guard lock(mu);
        return static_cast<Micros>(delay * std::uniform_real_distribution<double>(0.8, 1.2)(rng));
    }

    class JobContext;
    void Run(Job job);
    void Settle(const Job& job, const Running& r, bool returned, bool retry, const std::string& error);
    void Keep();
};

class Runner::Impl::JobContext final : public Context {
  public:
    JobContext(Impl& impl, Job& job, Running& running) : impl_(impl), job_(job), running_(running) {}

    const Job& job() const override { return job_; }
    bool ShouldStop() const override { return running_.why() != StopReason::kNone; }
    bool finished() const { return finished_; }

    void Progress(int percent, std::string_view note) override {
        ThrowIfStopped();
        percent = std::clamp(percent, 0, 100);
        Micros now = impl_.clock.Now();
        auto rows = impl_.db.Write([&](db::Tx& tx) {
            return tx.Query(
                std::string("UPDATE jobs SET progress = :p, progress_note = :n, lease_until = :l, "
                            "updated_at = :t") +
                    kOwned + " RETURNING cancel_requested",
                {std::int64_t{percent}, std::string(note), now + impl_.settings.lease, now, job_.id, impl_.owner});
        });
        if (rows.empty()) Stop(StopReason::kLost);
        if (rows.front().Int(0) != 0) Stop(StopReason::kCancelled);
        job_.progress = percent;
        job_.progress_note = note;
        impl_.Publish(job_, "job.progress", {{"progress", std::to_string(percent)}, {"note", std::string(note)}});
    }

    void Finish(const std::function<void(db::Tx&)>& write) override {
        ThrowIfStopped();
        Micros now = impl_.clock.Now();
        bool owned = impl_.db.Write([&](db::Tx& tx) {
            if (tx.Exec(
                    std::string("UPDATE jobs SET status = 'succeeded', progress = 100, owner = '', lease_until = 0, "
                                "finished_at = :t, updated_at = :t2") +
                        kOwned,
                    {now, now, job_.id, impl_.owner}) == 0)
                return false;
            write(tx);
            return true;
        });
        if (!owned) Stop(StopReason::kLost);
        finished_ = true;
        job_.status = Status::kSucceeded;
        job_.progress = 100;
        impl_.Publish(job_, "job.succeeded");
    }

  private:
    [[noreturn]] void Stop(StopReason why) {
        running_.Stop(why);
        throw Stopped(why == StopReason::kLost ? "another process took the job over" : "the job was cancelled");
    }

    Impl& impl_;
    Job& job_;
    Running& running_;
    bool finished_ = false;
};

void Runner::Impl::Run(Job job) {
    auto r = std::make_shared<Running>();
    {
        std::lock_guard lock(mu);
        running[job.id] = r;
        if (stopping) r->Stop(StopReason::kShutdown);
    }
    Publish(job, "job.started", {{"attempt", std::to_string(job.attempts)}});
    JobContext ctx(*this, job, *r);
    bool returned = false, retry = false;
    std::string error;
    try {
        handlers.find(job.kind)->second(ctx);
        returned = true;
    } catch (const Stopped&) {
    } catch (const TransientError& e) {
        retry = true;
        error = e.what();
    } catch (const std::exception& e) {
        error = e.what();
    } catch (...) {
        error = "the job's handler failed";
    }
    {
        std::lock_guard lock(mu);
        running.erase(job.id);
    }
    if (ctx.finished()) return;
    try {
        Settle(job, *r, returned, retry, error);
    } catch (const std::exception& e) {
        // The lease runs out and another start settles it.
        spdlog::error("jobs: settling {} ({}): {}", job.id, job.kind, e.what());
    }
}

void Runner::Impl::Settle(const Job& job, const Running& r, bool returned, bool retry, const std::string& error) {
    Micros now = clock.Now();
    if (returned) {  // done, with no result of its own
        if (Owned(std::string("UPDATE jobs SET status = 'succeeded', progress = 100, owner = '', lease_until = 0, "
                              "finished_at = :t, updated_at = :t2") +
                      kOwned,
                  {now, now}, job))
            Publish(job, "job.succeeded");
        return;
    }
    // Stopped or failed while a cancellation was asked for: cancelled, whatever the handler was doing.
    if (Owned(std::string("UPDATE jobs SET status = 'cancelled', owner = '', lease_until = 0, finished_at = :t, "
                          "updated_at = :t2") +
                  kOwned + " AND cancel_requested = 1",
              {now, now}, job, true)) {
        Publish(job, "job.cancelled");
        return;
    }
    if (r.why() == StopReason::kLost) return;  // another process has it
    if (r.why() == StopReason::kShutdown && error.empty()) {
        // Back in the queue for the next start here or elsewhere; the interrupted start does not count.
        Owned(std::string("UPDATE jobs SET status = 'queued', owner = '', lease_until = 0, attempts = attempts - 1, "
                          "run_after = :n, updated_at = :t") +
                  kOwned,
              {now, now}, job);
        return;
    }
    if (retry && job.attempts < job.max_attempts) {
        Micros at = now + RetryDelay(job.attempts);
        if (Owned(std::string("UPDATE jobs SET status = 'queued', owner = '', lease_until = 0, run_after = :r, "
                              "error = :e, updated_at = :t") +
                      kOwned,
                  {at, error, now}, job))
            Publish(job, "job.retrying",
                    {{"error", error}, {"attempt", std::to_string(job.attempts)}, {"run_after", std::to_string(at)}});
        return;
    }
    std::string why = error.empty() ? "the job stopped without finishing" : error;
    if (Owned(
            std::string("UPDATE jobs SET status = 'failed', owner = '', lease_until = 0, error = :e, finished_at = :t, "
                        "updated_at = :t2") +
                kOwned,
            {why, now, now}, job, true))
        Publish(job, "job.failed", {{"error", why}});
}

void Runner::Impl::Keep() {
    std::vector<std::pair<std::string, std::shared_ptr<Running>>> mine;
    {
        std::lock_guard lock(mu);
        mine.assign(running.begin(), running.end());
    }
    Micros now = clock.Now();
    for (const auto& entry : mine) {
        const std::string& id = entry.first;  // not a structured binding: clang 14 cannot capture those
        const auto& r = entry.second;
        auto rows = db.Write([&](db::Tx& tx) {
            return tx.Query(std::string("UPDATE jobs SET lease_until = :l, updated_at = :t") + kOwned +
                                " RETURNING cancel_requested",
                            {now + settings.lease, now, id, owner});
        });
        if (rows.empty())
            r->Stop(StopReason::kLost);
        else if (rows.front().Int(0) != 0)
            r->Stop(StopReason::kCancelled);
    }
    // Jobs whose process died: settled when nobody may start them again (cancelled, or out of starts).
    auto settle = [&](const std::string& set, const char* condition, const char* event) {
        auto jobs = db.Write([&](db::Tx& tx) {
            std::vector<Job> settled;
            for (const auto& row : tx.Query("UPDATE jobs SET " + set +
                                                ", owner = '', finished_at = :t, updated_at = :t2 WHERE status = "
                                                "'running' AND lease_until < :n AND " +
                                                condition + " RETURNING " + kJobColumns,
                                            {now, now, now})) {
                settled.push_back(JobFromRow(row));
                RunAbandon(tx, settled.back());
            }
            return settled;
        });
        for (const auto& job : jobs)
            Publish(job, event, job.status == Status::kFailed ? Fields{{"error", job.error}} : Fields{});
    };
    settle("status = 'cancelled'", "cancel_requested = 1", "job.cancelled");
    settle("status = 'failed', error = 'the process running it stopped during each of its starts'",
           "attempts >= max_attempts", "job.failed");
}

Runner::Runner(db::Database& db, events::EventBus& bus, const Clock& clock, JobSettings settings)
    : impl_(std::make_unique<Impl>(db, bus, clock, settings)) {}

Runner::~Runner() { Stop(); }

void Runner::Register(std::string kind, Handler handler, Abandon abandon) {
    impl_->abandons[kind] = std::move(abandon);
    impl_->handlers[std::move(kind)] = std::move(handler);
    impl_->BuildClaim();
}

void Runner::Start() {
    Impl& m = *impl_;
    if (!m.threads.empty() || m.settings.workers == 0 || m.handlers.empty()) return;
    for (std::size_t i = 0; i < m.settings.workers; ++i)
        m.threads.emplace_back([&m, this] {
            for (;;) {
                std::uint64_t seen;
                {
                    std::lock_guard lock(m.mu);
                    if (m.stopping) return;
                    seen = m.notified;
                }
                bool ran = false;
                try {
                    ran = RunOne();
                } catch (const std::exception& e) {
                    spdlog::error("jobs: claiming a job: {}", e.what());
                }
                if (ran) continue;
                std::unique_lock lock(m.mu);
                m.cv.wait_for(lock, std::chrono::milliseconds(m.settings.poll_ms),
                              [&] { return m.stopping || m.notified != seen; });
            }
        });
    m.threads.emplace_back([&m] {  // the keeper: leases renewed three times per lease
        auto period = std::chrono::microseconds(std::max<Micros>(m.settings.lease / 3, 1000));
        std::unique_lock lock(m.mu);
        while (!m.stopping) {
            m.cv.wait_for(lock, period, [&] { return m.stopping; });
            if (m.stopping) break;
            lock.unlock();
            try {
                m.Keep();
            } catch (const std::exception& e) {
                spdlog::error("jobs: renewing leases: {}", e.what());
            }
            lock.lock();
        }
    });
}

void Runner::Stop() {
    Impl& m = *impl_;
    {
        std::lock_guard lock(m.mu);
        m.stopping = true;
        for (auto& [id, r] : m.running) r->Stop(StopReason::kShutdown);
    }
    m.cv.notify_all();
    for (auto& t : m.threads) t.join();
    m.threads.clear();
}

void Runner::Notify() {
    {
        std::lock_guard lock(impl_->mu);
        ++impl_->notified;
    }
    impl_->cv.notify_all();
}

bool Runner::RunOne() {
    auto job = impl_->Claim();
    if (!job) return false;
    impl_->Run(std::move(*job));
    return true;
}

void Runner::Keep() { impl_->Keep(); }

const std::string& Runner::owner() const { return impl_->owner; }

}  // namespace uxf::jobs
