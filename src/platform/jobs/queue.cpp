// The job table's reads and the writes other code makes inside its own transactions (enqueue, cancel).
#include "queue.hpp"

#include "uxf/core/ids.hpp"

namespace uxf::jobs {
namespace {

Status ParseStatus(const std::string& s) {
    for (Status st : {Status::kQueued, Status::kRunning, Status::kSucceeded, Status::kFailed, Status::kCancelled})
        if (StatusName(st) == s) return st;
    throw std::runtime_error("jobs: unknown status " + s);
}

}  // namespace

Job JobFromRow(const db::Row& r) {
    Job j;
    j.id = r.Str(0);
    j.kind = r.Str(1);
    j.workspace_id = r.Str(2);
    j.subject_id = r.Str(3);
    j.payload = r.Str(4);
    j.correlation_id = r.Str(5);
    j.status = ParseStatus(r.Str(6));
    j.attempts = r.Int(7);
    j.max_attempts = r.Int(8);
    j.progress = r.Int(9);
    j.progress_note = r.Str(10);
    j.error = r.Str(11);
    j.cancel_requested = r.Int(12) != 0;
    j.created_at = r.Int(13);
    j.updated_at = r.Int(14);
    j.run_after = r.Int(15);
    j.finished_at = r.OptInt(16);
    return j;
}

events::Event JobEvent(const Job& job, std::string_view name, Micros at) {
    events::Event e{std::string(name), job.correlation_id, job.workspace_id, job.subject_id, {}, at};
    e.fields = {{"job_id", job.id}, {"kind", job.kind}};
    return e;
}

std::string Enqueue(db::Tx& tx, const NewJob& job, Micros now, const JobSettings& settings) {
    std::string id = NewId("job");
    tx.Exec(
        "INSERT INTO jobs (id, kind, workspace_id, subject_id, payload, correlation_id, status, max_attempts, "
        "run_after, created_at, updated_at) VALUES (:id, :k, :w, :s, :p, :c, 'queued', :m, :r, :t, :t2)",
        {id, job.kind, job.workspace_id, job.subject_id, job.payload, job.correlation_id,
         job.max_attempts > 0 ? job.max_attempts : settings.max_attempts, job.run_after > 0 ? job.run_after : now, now,
         now});
    return id;
}

std::optional<Job> Get(db::Tx& tx, const std::string& id) {
    auto r = tx.QueryOne(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = :id", {id});
    if (!r) return std::nullopt;
    return JobFromRow(*r);
}

std::optional<Job> LatestFor(db::Tx& tx, const std::string& subject_id) {
    auto r = tx.QueryOne(std::string("SELECT ") + kJobColumns +
                             " FROM jobs WHERE subject_id = :s ORDER BY created_at DESC, id DESC LIMIT 1",
                         {subject_id});
    if (!r) return std::nullopt;
    return JobFromRow(*r);
}

bool Pending(db::Tx& tx, const std::string& kind, const std::string& subject_id) {
    return tx.QueryOne(
                 "SELECT COUNT(*) FROM jobs WHERE subject_id = :s AND kind = :k AND status IN ('queued', 'running')",
                 {subject_id, kind})
               ->Int(0) > 0;
}

bool Cancel(db::Tx& tx, const std::string& id, Micros now, db::PendingEvents& events) {
    // Queued, or running under a lease that expired (nobody is running it): cancelled now.
    auto done = tx.Query(std::string("UPDATE jobs SET status = 'cancelled', cancel_requested = 1, owner = '', "
                                     "finished_at = :t, updated_at = :t2 WHERE id = :id AND (status = 'queued' OR "
                                     "(status = 'running' AND lease_until < :n)) RETURNING ") +
                             kJobColumns,
                         {now, now, id, now});
    if (!done.empty()) {
        events.push_back(JobEvent(JobFromRow(done.front()), "job.cancelled", now));
        return true;
    }
    // Running: its handler is told at its next progress or lease renewal, and the runner settles it.
    return tx.Exec("UPDATE jobs SET cancel_requested = 1, updated_at = :t WHERE id = :id AND status = 'running'",
                   {now, id}) > 0;
}

}  // namespace uxf::jobs
