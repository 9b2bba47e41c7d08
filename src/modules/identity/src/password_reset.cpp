#include <fmt/format.h>

#include "internal.hpp"
#include "uxf/core/ids.hpp"
#include "uxf/identity/auth_service.hpp"

namespace uxf::identity {

Result<void> AuthService::ForgotPassword(const std::string& email, const RequestMeta& meta) {
    auto& m = *impl_;
    auto normal = NormaliseEmail(email);
    if (!normal) return Error::Invalid("not an e-mail address", {{"email", "must be an e-mail address"}});
    Micros now = m.clock.Now();
    std::string token = crypto::RandomToken(32);
    m.db.Write([&](db::Tx& tx) {
        auto row = tx.QueryOne("SELECT id, name FROM users WHERE email = :e", {*normal});
        if (!row) return;  // same answer either way: nothing tells whether the account exists
        std::string uid = row->Str(0);
        tx.Exec(
            "INSERT INTO password_resets (id, user_id, token_hash, created_at, expires_at) "
            "VALUES (:id, :u, :h, :c, :e)",
            {NewId("prs"), uid, crypto::Sha256Hex(token), now, now + m.s.reset_token_ttl});
        std::string body = fmt::format(
            "Hello {},\n\nSomeone asked to reset the password of your UX-Flow-Engine account. To choose a new one, "
            "open this link within {} minutes:\n\n{}/reset-password?token={}\n\nOr send this token to "
            "POST /v1/auth/password/reset:\n\n{}\n\nIf it was not you, ignore this mail; your password stays as it "
            "is.\n",
            row->Str(1), m.s.reset_token_ttl / kMinute, m.s.public_url, token, token);
        tx.Exec(
            "INSERT INTO mail_outbox (id, recipient, subject, body, created_at, next_attempt_at) "
            "VALUES (:id, :r, :s, :b, :c, :n)",
            {NewId("msg"), *normal, "Reset your UX-Flow-Engine password", body, now, now});
        WriteAudit(tx, {.user_id = uid, .action = "auth.password_reset_requested"}, meta, now);
    });
    return Ok();
}

Result<void> AuthService::ResetPassword(const std::string& token, const std::string& password,
                                        const RequestMeta& meta) {
    auto& m = *impl_;
    Micros now = m.clock.Now();
    if (token.empty() || token.size() > 200) return Error::Invalid("token is required", {{"token", "is required"}});
    auto found = m.db.Read([&](db::Tx& tx) {
        return tx.QueryOne(
            "SELECT r.id, u.id, u.email, u.name FROM password_resets r JOIN users u ON u.id = r.user_id "
            "WHERE r.token_hash = :h AND r.used_at IS NULL AND r.expires_at > :t",
            {crypto::Sha256Hex(token), now});
    });
    if (!found)
        return Error::Make(ErrorCode::kInvalidInput, "invalid_reset_token", "the reset token is not valid or expired");
    if (auto why = CheckPassword(password, found->Str(2), found->Str(3), m.s.password_min, m.s.password_max))
        return Error::Invalid("the new password is not valid", {{"password", *why}});
    std::string hash = m.hasher.Hash(password);
    return db::WriteAndPublish(m.db, m.bus, meta, [&](db::Tx& tx, db::PendingEvents& published) -> Result<void> {
        if (tx.Exec("UPDATE password_resets SET used_at = :t WHERE id = :id AND used_at IS NULL",
                    {now, found->Str(0)}) == 0)
            return Error::Make(ErrorCode::kInvalidInput, "invalid_reset_token", "the reset token was already used");
        std::string uid = found->Str(1);
        tx.Exec("UPDATE users SET password_hash = :h, updated_at = :t WHERE id = :id", {hash, now, uid});
        m.RevokeSessions(tx, uid, "password_reset", now);
        ClearThrottle(tx, AccountKey(found->Str(2)));
        AuditEntry a{.user_id = uid, .actor_id = uid, .action = "auth.password_reset"};
        Record(tx, a, meta, now, published);
        return Ok();
    });
}

}  // namespace uxf::identity
