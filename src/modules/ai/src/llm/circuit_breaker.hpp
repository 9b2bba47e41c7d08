// A circuit breaker per LLM provider: after a run of failed requests (the provider unreachable, overloaded or
// failing) it refuses requests at once for a cooldown instead of making each generation wait through its retries,
// then lets one trial request through and closes again when that succeeds.
#pragma once
#include <cstddef>
#include <mutex>

#include "uxf/core/clock.hpp"

namespace uxf::ai {

class CircuitBreaker {
  public:
    enum class State { kClosed, kOpen, kHalfOpen };

    /// Opens after `failures` consecutive failures (at least 1) and stays open `cooldown`; `clock` must outlive it.
    CircuitBreaker(std::size_t failures, Micros cooldown, const Clock& clock);

    /// Whether a request may go now. Closed: yes. Open: no until the cooldown has passed, then the circuit turns
    /// half-open and this call's request is the one trial; while the trial runs others are refused (a trial that
    /// never reports back is replaced after another cooldown).
    bool Allow();
    /// The provider answered (even with an error of the request's own making): the circuit closes.
    void RecordSuccess();
    /// The provider was unavailable: one more consecutive failure; a failed trial opens the circuit again.
    void RecordFailure();

    State state() const;
    /// How long until an open circuit lets a trial through (0 unless open).
    Micros RetryIn() const;

  private:
    State StateLocked() const;

    const std::size_t threshold_;
    const Micros cooldown_;
    const Clock& clock_;
    mutable std::mutex mu_;
    std::size_t consecutive_ = 0;
    bool open_ = false;
    Micros opened_at_ = 0;
    bool trial_running_ = false;
    Micros trial_started_ = 0;
};

}  // namespace uxf::ai
