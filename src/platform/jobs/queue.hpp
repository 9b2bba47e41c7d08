// Shared by the queue functions and the runner: the job table's columns and events.
#pragma once
#include <string_view>

#include "uxf/platform/jobs.hpp"

namespace uxf::jobs {

/// The columns JobFromRow reads, in its order.
inline constexpr const char* kJobColumns =
    "id, kind, workspace_id, subject_id, payload, correlation_id, status, attempts, max_attempts, progress, "
    "progress_note, error, cancel_requested, created_at, updated_at, run_after, finished_at";

Job JobFromRow(const db::Row& row);
/// `job.progress`, `job.succeeded` ...: about the job's subject, with `job_id` and `kind` among the fields.
events::Event JobEvent(const Job& job, std::string_view name, Micros at);

}  // namespace uxf::jobs
