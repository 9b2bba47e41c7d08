// Durable jobs: long work (document ingestion, AI generation) that a request starts and a worker finishes, even
// across restarts and crashes. A job is a row, enqueued in the transaction of the request that wants it, so it
// exists exactly when that request's change does. Workers in any process claim due jobs; a running job holds a
// lease its process renews, and a job whose process died is taken over once the lease expires. A handler ends
// with its result written in one transaction with the job's completion, which commits only while its process
// still holds the job: a job's effect is stored once, however often it was started.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "uxf/core/clock.hpp"
#include "uxf/core/settings.hpp"
#include "uxf/platform/database.hpp"
#include "uxf/platform/events.hpp"
#include "uxf/platform/unit_of_work.hpp"

namespace uxf::jobs {

struct JobSettings {
    std::size_t workers = 2;           ///< jobs this process runs at once (0: it runs none, others may)
    Micros lease = 30 * kSecond;       ///< how long a claim holds without renewal (renewed every third of it)
    std::int64_t poll_ms = 500;        ///< how often idle workers look for due jobs (an enqueue here wakes them)
    std::int64_t max_attempts = 5;     ///< starts of one job (retries and takeovers) before it fails
    Micros retry_delay = 2 * kSecond;  ///< first retry delay, doubled per attempt (with jitter)
    Micros max_retry_delay = 10 * kMinute;
};

/// The UXFLOW_JOB_* variables.
std::span<const settings::Entry<JobSettings>> JobSettingsTable();

enum class Status { kQueued, kRunning, kSucceeded, kFailed, kCancelled };
std::string_view StatusName(Status s);

struct Job {
    std::string id, kind, workspace_id, subject_id, payload, correlation_id;
    Status status = Status::kQueued;
    std::int64_t attempts = 0, max_attempts = 0;
    std::int64_t progress = 0;  ///< 0 to 100
    std::string progress_note, error;
    bool cancel_requested = false;
    Micros created_at = 0, updated_at = 0, run_after = 0;
    std::optional<Micros> finished_at;
};

struct NewJob {
    std::string kind;
    std::string workspace_id, subject_id;  ///< what the job is about (its events carry them)
    std::string payload;                   ///< the handler's input, any text (JSON by convention)
    std::string correlation_id;            ///< the request that started it
    std::int64_t max_attempts = 0;         ///< 0: the settings' default
    Micros run_after = 0;                  ///< 0: at once
};

/// Thrown by a handler for a failure worth retrying later (a provider's 429 or 5xx, a timeout). Any other
/// exception fails the job at once, with its message as the job's error.
class TransientError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// Thrown into a handler (by Progress, ThrowIfStopped and Finish) when it must stop: the job was cancelled, another
/// process took it over, or this process is shutting down. Handlers let it pass.
class Stopped : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// A running job, as its handler sees it.
class Context {
  public:
    virtual ~Context() = default;
    virtual const Job& job() const = 0;
    /// Records progress (0-100 and a short note), renews the lease and publishes `job.progress`; throws Stopped
    /// when the job must stop.
    virtual void Progress(int percent, std::string_view note) = 0;
    /// True once the job must stop (seen at the last lease renewal or progress).
    virtual bool ShouldStop() const = 0;
    void ThrowIfStopped() const {
        if (ShouldStop()) throw Stopped("the job was stopped");
    }
    /// Writes the job's result with `write(tx)` and marks it succeeded, in one transaction that commits only while
    /// this process holds the job (else Stopped, and nothing of `write` stays). A handler that returns without
    /// calling it succeeds with no result of its own.
    virtual void Finish(const std::function<void(db::Tx&)>& write) = 0;
};

using Handler = std::function<void(Context&)>;
/// Runs in the transaction that ends a job as failed or cancelled without its handler's Finish (the handler threw,
/// it was cancelled while running, or the processes running it died at every start): gives back what the job held
/// (a generation's reserved credits). It may find that work done already, and must then do nothing.
using Abandon = std::function<void(db::Tx&, const Job&)>;

/// Enqueues a job inside the caller's transaction and returns its id; workers see it once that commits.
std::string Enqueue(db::Tx& tx, const NewJob& job, Micros now, const JobSettings& settings);
std::optional<Job> Get(db::Tx& tx, const std::string& id);
/// The newest job about `subject_id` (a document's ingestion, a generation), if any.
std::optional<Job> LatestFor(db::Tx& tx, const std::string& subject_id);
/// Whether a job of `kind` about `subject_id` is queued or running.
bool Pending(db::Tx& tx, const std::string& kind, const std::string& subject_id);
/// A queued job is cancelled at once (`job.cancelled` goes to `events`); a running one is asked to stop (cancelled
/// when its handler stops, or when its lease expires). False when the job is unknown or already finished.
bool Cancel(db::Tx& tx, const std::string& id, Micros now, db::PendingEvents& events);

/// Runs the jobs of the kinds registered with it, on `settings.workers` threads.
class Runner {
  public:
    Runner(db::Database& db, events::EventBus& bus, const Clock& clock, JobSettings settings);
    ~Runner();
    Runner(const Runner&) = delete;
    Runner& operator=(const Runner&) = delete;

    /// Before Start: the handler of one kind of job. Only registered kinds are claimed.
    void Register(std::string kind, Handler handler, Abandon abandon = {});
    void Start();
    /// Stops claiming, asks running handlers to stop, puts their jobs back in the queue (not counted as an
    /// attempt) so another process or the next start resumes them, and joins the threads.
    void Stop();
    /// Wakes idle workers (after a transaction that enqueued a job committed).
    void Notify();
    /// Claims one due job and runs it on the calling thread: false when none was due. Lease renewal is the
    /// caller's (or Start's keeper thread's) affair.
    bool RunOne();
    /// Renews the leases of the jobs this runner is running and settles abandoned ones (expired leases of
    /// cancelled or exhausted jobs). The keeper thread calls it every third of a lease.
    void Keep();
    /// This process's name in the `owner` column.
    const std::string& owner() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace uxf::jobs
