#include "uxf/platform/jobs.hpp"

namespace uxf::jobs {
namespace {

using namespace settings;
using S = JobSettings;

constexpr Entry<S> kTable[] = {
    Integer<&S::workers>("UXFLOW_JOB_WORKERS", 0, 256,
                         "Background jobs (document ingestion, generation) this process runs at once; 0 runs none "
                         "here."),
    Seconds<&S::lease>("UXFLOW_JOB_LEASE_S", 1, 3600,
                       "How long a running job stays claimed without renewal: a job whose process died is taken over "
                       "after this long."),
    Integer<&S::poll_ms>("UXFLOW_JOB_POLL_MS", 10, 60'000,
                         "How often idle workers look for due jobs, in milliseconds (jobs enqueued by this process "
                         "start at once)."),
    Integer<&S::max_attempts>("UXFLOW_JOB_MAX_ATTEMPTS", 1, 100,
                              "Starts of one job (retries after transient failures, takeovers) before it fails."),
    Seconds<&S::retry_delay>("UXFLOW_JOB_RETRY_S", 0, 3600,
                             "Delay before the first retry of a job after a transient failure; doubled each time."),
    Seconds<&S::max_retry_delay>("UXFLOW_JOB_MAX_RETRY_S", 0, 86'400, "Longest delay between retries."),
};

}  // namespace

std::span<const Entry<S>> JobSettingsTable() { return kTable; }

std::string_view StatusName(Status s) {
    switch (s) {
        case Status::kQueued:
            return "queued";
        case Status::kRunning:
            return "running";
        case Status::kSucceeded:
            return "succeeded";
        case Status::kFailed:
            return "failed";
        case Status::kCancelled:
            return "cancelled";
    }
    return "queued";
}

}  // namespace uxf::jobs
