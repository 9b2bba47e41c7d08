#pragma once
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "uxf/core/settings.hpp"

namespace uxf::gateway {

/// Token-bucket limits; a rate of 0 turns that limit off.
struct RateLimitSettings {
    double ip_rps = 200;  ///< every request, per client IP
    double ip_burst = 400;
    double user_rps = 300;  ///< authenticated requests, per user
    double user_burst = 600;
    double auth_per_hour = 120;  ///< sign-up, login, refresh, password reset: per client IP
    double auth_burst = 60;
};

/// HTTP gateway settings; `app/` fills them from UXFLOW_* variables.
struct GatewaySettings {
    std::string listen = "127.0.0.1:8080";   ///< host:port; port 0 picks a free one
    std::size_t workers = 0;                 ///< handler threads; 0 = one per core
    std::size_t hash_workers = 0;            ///< password-hashing threads; 0 = half the workers (at least 1)
    std::size_t hash_queue = 256;            ///< password requests in progress or waiting; more answer 503
    std::size_t max_body_bytes = 10u << 20;  ///< larger bodies answer 413
    std::size_t max_pipeline = 16;           ///< pipelined requests handled at once per connection
    int read_timeout_s = 30;                 ///< to receive a whole request once it started
    int idle_timeout_s = 75;                 ///< keep-alive connection without a request
    int shutdown_grace_s = 20;               ///< in-flight requests get this long on SIGTERM
    std::vector<std::string> cors_origins;   ///< origins allowed by CORS; empty = none
    bool trust_proxy = false;                ///< take the client IP from X-Forwarded-For
    RateLimitSettings rate_limit;
};

/// The UXFLOW_* variables of GatewaySettings, rate limits included (the defaults are the struct's).
std::span<const settings::Entry<GatewaySettings>> GatewaySettingsTable();

}  // namespace uxf::gateway
