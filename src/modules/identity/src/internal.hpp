// Shared internals of the identity module; not part of its public interface.
#pragma once
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "uxf/core/context.hpp"
#include "uxf/core/result.hpp"
#include "uxf/core/text.hpp"
#include "uxf/identity/audit.hpp"
#include "uxf/identity/auth_service.hpp"
#include "uxf/identity/types.hpp"
#include "uxf/platform/crypto.hpp"
#include "uxf/platform/database.hpp"
#include "uxf/platform/events.hpp"
#include "uxf/platform/unit_of_work.hpp"

namespace uxf::identity {

/// Signs and verifies access tokens: HS256 only, whatever the token's header claims.
class JwtCodec {
  public:
    JwtCodec(std::string secret, std::string issuer, std::string audience, Micros ttl);
    std::string Issue(const std::string& user_id, const std::string& session_id, Micros now) const;
    std::optional<AccessClaims> Verify(const std::string& token, Micros now) const;

  private:
    std::string secret_, issuer_, audience_;
    Micros ttl_;
};

/// Failed-attempt counters with growing locks, stored in `auth_throttle` so every process sees them.
struct ThrottlePolicy {
    int threshold;
    Micros window, base, max;
};
/// When `key` is locked at `now`, the time it unlocks.
std::optional<Micros> LockedUntil(db::Tx& tx, const std::string& key, Micros now);
/// Counts a failure; returns the unlock time when this failure locked the key.
std::optional<Micros> RecordFailure(db::Tx& tx, const std::string& key, const ThrottlePolicy& policy, Micros now);
void ClearThrottle(db::Tx& tx, const std::string& key);
inline std::string AccountKey(const std::string& email) { return "acct:" + email; }

/// Password rules: length in characters, not a common password or a trivial variation of one, not built from
/// the user's e-mail or name. Returns the reason when refused.
std::optional<std::string> CheckPassword(std::string_view password, std::string_view email, std::string_view name,
                                         std::size_t min, std::size_t max);

/// Lower-cased, trimmed e-mail, or nullopt when it is not an address.
std::optional<std::string> NormaliseEmail(std::string_view email);

/// The event for an audit action, to publish after commit.
events::Event EventFor(const AuditEntry& entry, const RequestMeta& meta, Micros now);

/// Writes the audit entry in `tx` and queues its event, to publish after commit.
void Record(db::Tx& tx, const AuditEntry& entry, const RequestMeta& meta, Micros now,
            std::vector<events::Event>& published);

User UserFromRow(const db::Row& row, std::size_t first = 0);  ///< columns: id, email, name, mfa_enabled, created_at
Workspace WorkspaceFromRow(const db::Row& row);               ///< columns: id, name, personal, created_at, role
inline constexpr const char* kUserColumns = "id, email, name, mfa_enabled, created_at";

/// Verifies a TOTP code against the seed, allowing one step of drift; returns the step it matched, which must
/// be later than `last_step` so a code works once.
std::optional<std::uint64_t> MatchTotp(std::span<const std::uint8_t> seed, std::string_view code, Micros now,
                                       std::uint64_t last_step);

struct AuthService::Impl {
    Impl(db::Database& db, events::EventBus& bus, const Clock& clock, IdentitySettings settings);

    db::Database& db;
    events::EventBus& bus;
    const Clock& clock;
    IdentitySettings s;
    crypto::PasswordHasher hasher;
    crypto::SecretBox box;
    JwtCodec jwt;
    std::string dummy_hash;  ///< verified against for unknown e-mails, so both paths cost the same

    /// Access tokens already verified, by the token itself (only tokens whose signature verified get in, so the keys
    /// are not an attacker's choice): a token is checked once, then looked up (every authenticated request presents
    /// one; verifying costs microseconds of HMAC and JSON). Expiry is checked on every use; the map is cleared when
    /// full. Readers share the lock.
    std::shared_mutex verified_mu;
    std::unordered_map<std::string, AccessClaims> verified;

    ThrottlePolicy AccountPolicy() const {
        return {s.account_lock_threshold, s.failure_window, s.lock_base, s.lock_max};
    }
    ThrottlePolicy IpPolicy() const { return {s.ip_lock_threshold, s.failure_window, s.lock_base, s.lock_max}; }

    /// Opens a session (refresh-token family) and returns its first token pair.
    TokenPair StartSession(db::Tx& tx, const std::string& user_id, const RequestMeta& meta, Micros now);
    /// Adds a fresh refresh token to a session; returns the token in clear (only its hash is stored).
    std::string AddRefreshToken(db::Tx& tx, const std::string& session_id, Micros now);
    void RevokeSessions(db::Tx& tx, const std::string& user_id, const std::string& reason, Micros now);
};

}  // namespace uxf::identity
