#include "uxf/gateway/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace uxf::gateway {
namespace {
constexpr std::size_t kMaxKeysPerShard = 50'000;
}

RateLimiter::RateLimiter(double rate_per_second, double burst, const Clock& clock)
    : rate_(rate_per_second), burst_(std::max(1.0, burst)), clock_(clock) {}

long long RateLimiter::Take(const std::string& key) {
    if (rate_ <= 0) return 0;
    Micros now = clock_.Now();
    Shard& shard = shards_[std::hash<std::string>{}(key) % shards_.size()];
    std::lock_guard lock(shard.mu);
    if (shard.buckets.size() > kMaxKeysPerShard) {
        // Full buckets carry no state worth keeping: drop them to bound memory.
        std::erase_if(shard.buckets, [&](const auto& kv) {
            return kv.second.tokens + (now - kv.second.updated) / 1e6 * rate_ >= burst_;
        });
    }
    auto [it, inserted] = shard.buckets.try_emplace(key, Bucket{burst_, now});
    Bucket& b = it->second;
    b.tokens = std::min(burst_, b.tokens + (now - b.updated) / 1e6 * rate_);
    b.updated = now;
    if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
    }
    // At most a day: a tiny configured rate (1e-300 per second) made this 1e300, and converting that to an
    // integer is undefined behaviour (found by fuzz/config_toml under UBSan).
    return static_cast<long long>(std::clamp(std::ceil((1 - b.tokens) / rate_), 1.0, 86400.0));
}

}  // namespace uxf::gateway
