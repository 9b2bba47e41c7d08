#pragma once
#include <array>
#include <mutex>
#include <string>
#include <unordered_map>

#include "uxf/core/clock.hpp"

namespace uxf::gateway {

/// In-process token buckets keyed by client IP or user id. Each key holds up to `burst` tokens refilled at
/// `rate` per second. (Shared limits across processes come with Redis.)
class RateLimiter {
  public:
    RateLimiter(double rate_per_second, double burst, const Clock& clock);
    /// Takes a token; when none is left returns the seconds until one is (for Retry-After), else 0.
    long long Take(const std::string& key);
    bool enabled() const { return rate_ > 0; }

  private:
    struct Bucket {
        double tokens;
        Micros updated;
    };
    struct Shard {
        std::mutex mu;
        std::unordered_map<std::string, Bucket> buckets;
    };
    double rate_, burst_;
    const Clock& clock_;
    std::array<Shard, 16> shards_;
};

}  // namespace uxf::gateway
