// (f) TOML configuration: any bytes as the --config file. It gives settings or std::invalid_argument (which
// `uxflow` reports and exits 2 on); any other exception or a crash is a finding. The rate limits it accepts are
// then used as the dispatcher uses them (a bucket emptied, Retry-After computed).
#include <stdexcept>

#include "config.hpp"
#include "uxf/gateway/rate_limiter.hpp"

namespace {

void UseLimit(double rate, double burst) {
    uxf::ManualClock clock(1'700'000'000'000'000);
    uxf::gateway::RateLimiter limiter(rate, burst, clock);
    for (int i = 0; i < 3; ++i) {
        if (limiter.Take("203.0.113.9") < 0) __builtin_trap();
        clock.Advance(1);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        uxf::app::Config c = uxf::app::ParseConfigToml(text, "fuzz.toml");
        if (c.gateway.max_pipeline < 1 || c.gateway.max_pipeline > 256) __builtin_trap();  // ranges hold
        const auto& r = c.gateway.rate_limit;
        UseLimit(r.ip_rps, r.ip_burst);
        UseLimit(r.user_rps, r.user_burst);
        UseLimit(r.auth_per_hour / 3600.0, r.auth_burst);
    } catch (const std::invalid_argument&) {
    }
    return 0;
}
