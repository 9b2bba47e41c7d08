#include "uxf/core/clock.hpp"

#include <chrono>
#include <ctime>

#include <fmt/format.h>

namespace uxf {

Micros SystemClock::Now() const {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

std::string FormatRfc3339(Micros t) {
    std::time_t secs = static_cast<std::time_t>(t / kSecond);
    Micros rem = t % kSecond;
    if (rem < 0) {
        rem += kSecond;
        --secs;
    }
    std::tm tm{};
    gmtime_r(&secs, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                       tm.tm_hour, tm.tm_min, tm.tm_sec, rem / 1000);
}

}  // namespace uxf
