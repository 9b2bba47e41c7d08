#include "internal.hpp"

namespace uxf::identity {

std::optional<Micros> LockedUntil(db::Tx& tx, const std::string& key, Micros now) {
    auto row = tx.QueryOne("SELECT locked_until FROM auth_throttle WHERE key = :k", {key});
    if (row && row->Int(0) > now) return row->Int(0);
    return std::nullopt;
}

std::optional<Micros> RecordFailure(db::Tx& tx, const std::string& key, const ThrottlePolicy& p, Micros now) {
    auto row =
        tx.QueryOne("SELECT failures, window_start, lock_count, last_lock_at FROM auth_throttle WHERE key = :k", {key});
    std::int64_t failures = 0, window_start = now, lock_count = 0, last_lock_at = 0;
    if (row) {
        failures = row->Int(0);
        window_start = row->Int(1);
        lock_count = row->Int(2);
        last_lock_at = row->Int(3);
    }
    if (now - window_start > p.window) {
        failures = 0;
        window_start = now;
    }
    if (now - last_lock_at > kDay) lock_count = 0;  // a quiet day forgives earlier locks
    ++failures;
    std::optional<Micros> locked;
    std::int64_t locked_until = 0;
    if (failures >= p.threshold) {
        Micros delay = p.base;
        for (std::int64_t i = 0; i < lock_count && delay < p.max; ++i) delay *= 2;
        locked_until = now + std::min(delay, p.max);
        locked = locked_until;
        ++lock_count;
        last_lock_at = now;
        failures = 0;
        window_start = now;
    }
    tx.Exec(
        "INSERT INTO auth_throttle (key, failures, window_start, locked_until, lock_count, last_lock_at) "
        "VALUES (:k, :f, :w, :l, :c, :a) ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
        "window_start = excluded.window_start, locked_until = CASE WHEN excluded.locked_until > 0 THEN "
        "excluded.locked_until ELSE auth_throttle.locked_until END, lock_count = excluded.lock_count, "
        "last_lock_at = excluded.last_lock_at",
        {key, failures, window_start, locked_until, lock_count, last_lock_at});
    return locked;
}

void ClearThrottle(db::Tx& tx, const std::string& key) { tx.Exec("DELETE FROM auth_throttle WHERE key = :k", {key}); }

}  // namespace uxf::identity
