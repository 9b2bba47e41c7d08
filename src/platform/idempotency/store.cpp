#include "uxf/platform/idempotency.hpp"

namespace uxf::idempotency {
namespace {
constexpr Micros kLifetime = 24 * kHour;
constexpr Micros kAbandonedAfter = kMinute;
}  // namespace

Store::Store(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

Claim Store::Begin(const std::string& scope, const std::string& key, const std::string& fingerprint) {
    Micros now = clock_.Now();
    return db_.Write([&](db::Tx& tx) {
        // Expired keys go first, so a key can be used again after its lifetime.
        tx.Exec("DELETE FROM idempotency_keys WHERE scope = :s AND key = :k AND created_at < :t",
                {scope, key, now - kLifetime});
        if (tx.Exec("INSERT INTO idempotency_keys (scope, key, fingerprint, state, created_at) VALUES "
                    "(:s, :k, :f, 'running', :t) ON CONFLICT (scope, key) DO NOTHING",
                    {scope, key, fingerprint, now}) == 1)
            return Claim{};
        auto row = tx.QueryOne(
            "SELECT fingerprint, state, status, content_type, headers, body, created_at FROM idempotency_keys "
            "WHERE scope = :s AND key = :k",
            {scope, key});
        if (!row) return Claim{};
        if (row->Str(0) != fingerprint) return Claim{Claim::Outcome::kReused, {}};
        if (row->Str(1) == "done")
            return Claim{Claim::Outcome::kReplay,
                         {static_cast<int>(row->Int(2)), row->Str(3), row->Str(4), row->Str(5)}};
        // Still running: unless its process died long ago, the client must wait.
        if (row->Int(6) > now - kAbandonedAfter) return Claim{Claim::Outcome::kRunning, {}};
        tx.Exec("UPDATE idempotency_keys SET created_at = :t WHERE scope = :s AND key = :k", {now, scope, key});
        return Claim{};
    });
}

void Store::Finish(const std::string& scope, const std::string& key, const StoredResponse& r) {
    db_.Write([&](db::Tx& tx) { Finish(tx, scope, key, r); });
}

void Store::Finish(db::Tx& tx, const std::string& scope, const std::string& key, const StoredResponse& r) {
    tx.Exec(
        "UPDATE idempotency_keys SET state = 'done', status = :st, content_type = :ct, headers = :h, "
        "body = :b WHERE scope = :s AND key = :k",
        {std::int64_t{r.status}, r.content_type, r.headers, r.body, scope, key});
}

void Store::Abandon(const std::string& scope, const std::string& key) {
    db_.Write([&](db::Tx& tx) {
        tx.Exec("DELETE FROM idempotency_keys WHERE scope = :s AND key = :k AND state = 'running'", {scope, key});
    });
}

}  // namespace uxf::idempotency
