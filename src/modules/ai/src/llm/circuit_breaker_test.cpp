#include "llm/circuit_breaker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace uxf::ai {
namespace {

using State = CircuitBreaker::State;

TEST(CircuitBreaker, OpensAfterConsecutiveFailuresOnly) {
    ManualClock clock(1000 * kSecond);
    CircuitBreaker b(3, 30 * kSecond, clock);
    EXPECT_EQ(b.state(), State::kClosed);
    b.RecordFailure();
    b.RecordFailure();
    b.RecordSuccess();  // the run is broken
    b.RecordFailure();
    b.RecordFailure();
    EXPECT_TRUE(b.Allow());
    EXPECT_EQ(b.state(), State::kClosed);
    b.RecordFailure();
    EXPECT_EQ(b.state(), State::kOpen);
    EXPECT_FALSE(b.Allow());
    EXPECT_EQ(b.RetryIn(), 30 * kSecond);
    clock.Advance(10 * kSecond);
    EXPECT_FALSE(b.Allow());
    EXPECT_EQ(b.RetryIn(), 20 * kSecond);
}

TEST(CircuitBreaker, HalfOpensAfterTheCooldownForOneTrialThenClosesOnSuccess) {
    ManualClock clock(0);
    CircuitBreaker b(1, 30 * kSecond, clock);
    b.RecordFailure();
    EXPECT_FALSE(b.Allow());
    clock.Advance(30 * kSecond);
    EXPECT_EQ(b.state(), State::kHalfOpen);
    EXPECT_EQ(b.RetryIn(), 0);
    EXPECT_TRUE(b.Allow());   // the trial
    EXPECT_FALSE(b.Allow());  // nobody else while it runs
    b.RecordSuccess();
    EXPECT_EQ(b.state(), State::kClosed);
    EXPECT_TRUE(b.Allow());
    EXPECT_TRUE(b.Allow());
}

TEST(CircuitBreaker, AFailedTrialOpensTheCircuitForAnotherFullCooldown) {
    ManualClock clock(0);
    CircuitBreaker b(5, 30 * kSecond, clock);
    for (int i = 0; i < 5; ++i) b.RecordFailure();
    clock.Advance(31 * kSecond);
    ASSERT_TRUE(b.Allow());
    b.RecordFailure();  // one failure is enough for a trial
    EXPECT_EQ(b.state(), State::kOpen);
    EXPECT_FALSE(b.Allow());
    clock.Advance(29 * kSecond);
    EXPECT_FALSE(b.Allow());
    clock.Advance(1 * kSecond);
    EXPECT_TRUE(b.Allow());
}

TEST(CircuitBreaker, ATrialThatNeverReportsIsReplacedAfterAnotherCooldown) {
    ManualClock clock(0);
    CircuitBreaker b(1, 10 * kSecond, clock);
    b.RecordFailure();
    clock.Advance(10 * kSecond);
    ASSERT_TRUE(b.Allow());
    clock.Advance(9 * kSecond);
    EXPECT_FALSE(b.Allow());
    clock.Advance(1 * kSecond);
    EXPECT_TRUE(b.Allow());
}

TEST(CircuitBreaker, LetsExactlyOneTrialThroughUnderConcurrency) {
    ManualClock clock(0);
    CircuitBreaker b(1, kSecond, clock);
    b.RecordFailure();
    clock.Advance(kSecond);
    std::atomic<int> allowed = 0;
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&] {
            for (int j = 0; j < 100; ++j)
                if (b.Allow()) ++allowed;
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(allowed.load(), 1);
}

}  // namespace
}  // namespace uxf::ai
