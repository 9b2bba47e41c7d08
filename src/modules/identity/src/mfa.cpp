// Two-factor authentication: TOTP enrolment, activation with recovery codes, and removal.
#include <fmt/format.h>

#include "internal.hpp"
#include "uxf/core/strings.hpp"
#include "uxf/identity/auth_service.hpp"

namespace uxf::identity {
namespace {

constexpr int kRecoveryCodes = 10;

std::string NewRecoveryCode() {
    std::string raw = ToLower(Base32Encode(RandomBytes(7))).substr(0, 10);  // 50 bits
    return raw.substr(0, 5) + "-" + raw.substr(5);
}

}  // namespace

Result<TotpSetup> AuthService::Setup2fa(const std::string& user_id, const RequestMeta&) {
    auto& m = *impl_;
    std::string secret = Base32Encode(RandomBytes(20));  // 160 bits, as RFC 4226 recommends
    return m.db.Write([&](db::Tx& tx) -> Result<TotpSetup> {
        auto row = tx.QueryOne("SELECT email, mfa_enabled FROM users WHERE id = :id", {user_id});
        if (!row) return Error::NotFound("user");
        if (row->Int(1) != 0)
            return Error::Make(ErrorCode::kConflict, "mfa_already_enabled", "two-factor authentication is already on");
        tx.Exec("UPDATE users SET totp_pending_secret = :s, updated_at = :t WHERE id = :id",
                {m.box.Seal(secret), m.clock.Now(), user_id});
        std::string label = UrlEncode(m.s.totp_issuer) + ":" + UrlEncode(row->Str(0));
        return TotpSetup{secret, fmt::format("otpauth://totp/{}?secret={}&issuer={}&algorithm=SHA1&digits=6&period=30",
                                             label, secret, UrlEncode(m.s.totp_issuer))};
    });
}

Result<std::vector<std::string>> AuthService::Enable2fa(const std::string& user_id, const std::string& code,
                                                        const RequestMeta& meta) {
    auto& m = *impl_;
    Micros now = m.clock.Now();
    return db::WriteAndPublish(
        m.db, m.bus, meta, [&](db::Tx& tx, db::PendingEvents& published) -> Result<std::vector<std::string>> {
            auto row = tx.QueryOne("SELECT mfa_enabled, totp_pending_secret FROM users WHERE id = :id", {user_id});
            if (!row) return Error::NotFound("user");
            if (row->Int(0) != 0)
                return Error::Make(ErrorCode::kConflict, "mfa_already_enabled",
                                   "two-factor authentication is already on");
            auto sealed = row->OptStr(1);
            auto secret = sealed ? m.box.Open(*sealed) : std::nullopt;
            if (!secret) return Error::Make(ErrorCode::kConflict, "mfa_not_set_up", "call /v1/auth/2fa/setup first");
            auto seed = Base32Decode(*secret);
            auto step = seed ? MatchTotp(*seed, Trim(code), now, 0) : std::nullopt;
            if (!step) return Error::Invalid("the code is not valid", {{"code", "does not match the authenticator"}});
            tx.Exec(
                "UPDATE users SET mfa_enabled = 1, totp_secret = totp_pending_secret, totp_pending_secret = NULL, "
                "totp_last_step = :s, updated_at = :t WHERE id = :id",
                {static_cast<std::int64_t>(*step), now, user_id});
            tx.Exec("DELETE FROM recovery_codes WHERE user_id = :u", {user_id});
            std::vector<std::string> codes;
            for (int i = 0; i < kRecoveryCodes; ++i) {
                codes.push_back(NewRecoveryCode());
                std::string normal = codes.back().substr(0, 5) + codes.back().substr(6);
                tx.Exec("INSERT INTO recovery_codes (user_id, code_hash) VALUES (:u, :h)",
                        {user_id, crypto::Sha256Hex(normal)});
            }
            AuditEntry a{.user_id = user_id, .actor_id = user_id, .action = "auth.mfa_enabled"};
            Record(tx, a, meta, now, published);
            return codes;
        });
}

Result<void> AuthService::Disable2fa(const std::string& user_id, const std::string& password, const std::string& code,
                                     const RequestMeta& meta) {
    auto& m = *impl_;
    Micros now = m.clock.Now();
    auto row = m.db.Read([&](db::Tx& tx) {
        return tx.QueryOne("SELECT password_hash, mfa_enabled, totp_secret, totp_last_step FROM users WHERE id = :id",
                           {user_id});
    });
    if (!row) return Error::NotFound("user");
    if (row->Int(1) == 0)
        return Error::Make(ErrorCode::kConflict, "mfa_not_enabled", "two-factor authentication is not on");
    if (!m.hasher.Verify(row->Str(0), password))
        return Error::Make(ErrorCode::kUnauthorized, "invalid_credentials", "the password is wrong");
    auto secret = m.box.Open(row->OptStr(2).value_or(""));
    auto seed = secret ? Base32Decode(*secret) : std::nullopt;
    auto step = seed ? MatchTotp(*seed, Trim(code), now, static_cast<std::uint64_t>(row->Int(3))) : std::nullopt;
    if (!step) return Error::Invalid("the code is not valid", {{"code", "does not match the authenticator"}});
    return db::WriteAndPublish(m.db, m.bus, meta, [&](db::Tx& tx, db::PendingEvents& published) -> Result<void> {
        if (tx.Exec("UPDATE users SET mfa_enabled = 0, totp_secret = NULL, totp_pending_secret = NULL, "
                    "totp_last_step = :s, updated_at = :t WHERE id = :id AND mfa_enabled = 1 AND totp_last_step < :s2",
                    {static_cast<std::int64_t>(*step), now, user_id, static_cast<std::int64_t>(*step)}) == 0)
            return Error::Invalid("the code is not valid", {{"code", "was already used"}});
        tx.Exec("DELETE FROM recovery_codes WHERE user_id = :u", {user_id});
        AuditEntry a{.user_id = user_id, .actor_id = user_id, .action = "auth.mfa_disabled"};
        Record(tx, a, meta, now, published);
        return Ok();
    });
}

}  // namespace uxf::identity
