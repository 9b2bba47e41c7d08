#pragma once
#include <atomic>
#include <cstdint>
#include <string>

namespace uxf {

/// Microseconds since the Unix epoch, UTC. The one representation of time in services and the database.
using Micros = std::int64_t;
inline constexpr Micros kSecond = 1'000'000;
inline constexpr Micros kMinute = 60 * kSecond;
inline constexpr Micros kHour = 60 * kMinute;
inline constexpr Micros kDay = 24 * kHour;

/// Source of the current time; injected so tests can move time.
class Clock {
  public:
    virtual ~Clock() = default;
    virtual Micros Now() const = 0;
};

class SystemClock final : public Clock {
  public:
    Micros Now() const override;
};

/// A clock that only moves when told to (tests).
class ManualClock final : public Clock {
  public:
    explicit ManualClock(Micros start) : now_(start) {}
    Micros Now() const override { return now_.load(); }
    void Advance(Micros by) { now_ += by; }
    void Set(Micros to) { now_ = to; }

  private:
    std::atomic<Micros> now_;
};

/// RFC 3339 in UTC with millisecond precision, e.g. `2026-11-22T04:01:16.123Z`.
std::string FormatRfc3339(Micros t);

}  // namespace uxf
