#include "llm/circuit_breaker.hpp"

#include <algorithm>

namespace uxf::ai {

CircuitBreaker::CircuitBreaker(std::size_t failures, Micros cooldown, const Clock& clock)
    : threshold_(std::max<std::size_t>(1, failures)), cooldown_(std::max<Micros>(0, cooldown)), clock_(clock) {}

CircuitBreaker::State CircuitBreaker::StateLocked() const {
    if (!open_) return State::kClosed;
    return clock_.Now() - opened_at_ >= cooldown_ ? State::kHalfOpen : State::kOpen;
}

bool CircuitBreaker::Allow() {
    std::lock_guard lock(mu_);
    switch (StateLocked()) {
        case State::kClosed:
            return true;
        case State::kOpen:
            return false;
        case State::kHalfOpen:
            break;
    }
    const Micros now = clock_.Now();
    if (trial_running_ && now - trial_started_ < cooldown_) return false;
    trial_running_ = true;
    trial_started_ = now;
    return true;
}

void CircuitBreaker::RecordSuccess() {
    std::lock_guard lock(mu_);
    consecutive_ = 0;
    open_ = false;
    trial_running_ = false;
}

void CircuitBreaker::RecordFailure() {
    std::lock_guard lock(mu_);
    ++consecutive_;
    if (trial_running_ || consecutive_ >= threshold_) {
        // A failed trial, or the run reached the threshold: a full cooldown from now.
        open_ = true;
        opened_at_ = clock_.Now();
        trial_running_ = false;
    }
}

CircuitBreaker::State CircuitBreaker::state() const {
    std::lock_guard lock(mu_);
    return StateLocked();
}

Micros CircuitBreaker::RetryIn() const {
    std::lock_guard lock(mu_);
    if (StateLocked() != State::kOpen) return 0;
    return opened_at_ + cooldown_ - clock_.Now();
}

}  // namespace uxf::ai
