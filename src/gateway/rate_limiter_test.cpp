#include <gtest/gtest.h>

#include "uxf/gateway/rate_limiter.hpp"

namespace uxf::gateway {
namespace {

TEST(RateLimiter, RetryAfterIsBetweenASecondAndADay) {
    ManualClock clock(1'700'000'000'000'000);
    RateLimiter normal(2, 1, clock);
    EXPECT_EQ(normal.Take("ip"), 0);
    EXPECT_EQ(normal.Take("ip"), 1);  // half a second, rounded up
    // A rate so small that the wait overflowed a 64-bit integer (undefined behaviour; found by fuzz/config_toml).
    RateLimiter tiny(1e-300, 0, clock);
    EXPECT_EQ(tiny.Take("ip"), 0);
    EXPECT_EQ(tiny.Take("ip"), 86400);
    RateLimiter off(0, 0, clock);
    EXPECT_EQ(off.Take("ip"), 0);
}

}  // namespace
}  // namespace uxf::gateway
