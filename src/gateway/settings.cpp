#include "uxf/gateway/settings.hpp"

namespace uxf::gateway {
namespace {

using namespace settings;
using G = GatewaySettings;
using R = RateLimitSettings;

constexpr Entry<G> kTable[] = {
    Text<&G::listen>("UXFLOW_LISTEN", "Address and port to serve HTTP on (port 0 picks a free one)."),
    List<&G::cors_origins>("UXFLOW_CORS_ORIGINS", "Comma-separated origins allowed to call the API from a browser."),
    Integer<&G::max_body_bytes>("UXFLOW_MAX_BODY_BYTES", 1024, 1LL << 30,
                                "Largest request body; larger ones answer 413."),
    Integer<&G::max_pipeline>(
        "UXFLOW_MAX_PIPELINE", 1, 256,
        "Pipelined requests on one connection that are read ahead and handled at once (answers stay in order)."),
    Integer<&G::workers>("UXFLOW_WORKERS", 1, 1024, "Threads that run request handlers.", "(cores)"),
    Integer<&G::hash_workers>(
        "UXFLOW_HASH_WORKERS", 1, 256,
        "Threads that hash passwords (register, login, reset); a login flood waits here, not in the workers.",
        "(workers / 2)"),
    Integer<&G::hash_queue>(
        "UXFLOW_HASH_QUEUE", 1, 100000,
        "Password requests (register, login, reset) in progress or waiting at once; more answer 503."),
    Integer<&G::read_timeout_s>("UXFLOW_READ_TIMEOUT_S", 1, 3600, "Seconds to receive a request once it started."),
    Integer<&G::idle_timeout_s>("UXFLOW_IDLE_TIMEOUT_S", 1, 3600, "Seconds a keep-alive connection may stay idle."),
    Integer<&G::shutdown_grace_s>("UXFLOW_SHUTDOWN_GRACE_S", 0, 600,
                                  "Seconds in-flight requests get to finish on SIGTERM."),
    Bool<&G::trust_proxy>("UXFLOW_TRUST_PROXY",
                          "Take the client address from X-Forwarded-For (behind a load balancer)."),
    Number<&G::rate_limit, &R::ip_rps>("UXFLOW_RATE_LIMIT_IP_RPS", 0, 1'000'000,
                                       "Requests per second per client IP (0: off)."),
    Number<&G::rate_limit, &R::ip_burst>("UXFLOW_RATE_LIMIT_IP_BURST", 0, 1'000'000,
                                         "Burst above that rate per client IP."),
    Number<&G::rate_limit, &R::user_rps>("UXFLOW_RATE_LIMIT_USER_RPS", 0, 1'000'000,
                                         "Requests per second per signed-in user (0: off)."),
    Number<&G::rate_limit, &R::user_burst>("UXFLOW_RATE_LIMIT_USER_BURST", 0, 1'000'000,
                                           "Burst above that rate per user."),
    Number<&G::rate_limit, &R::auth_per_hour>(
        "UXFLOW_RATE_LIMIT_AUTH_PER_HOUR", 0, 1'000'000,
        "Sign-ups, logins, refreshes and reset requests per hour per client IP (0: off)."),
    Number<&G::rate_limit, &R::auth_burst>("UXFLOW_RATE_LIMIT_AUTH_BURST", 0, 1'000'000,
                                           "Burst of those per client IP."),
};

}  // namespace

std::span<const Entry<G>> GatewaySettingsTable() { return kTable; }

}  // namespace uxf::gateway
