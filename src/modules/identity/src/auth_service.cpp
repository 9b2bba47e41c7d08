#include "uxf/identity/auth_service.hpp"

#include <fmt/format.h>

#include "internal.hpp"
#include "uxf/core/ids.hpp"
#include "uxf/core/strings.hpp"

namespace uxf::identity {
namespace {

Error InvalidCredentials() {
    return Error::Make(ErrorCode::kUnauthorized, "invalid_credentials", "the e-mail or password is wrong");
}

Error Locked(ErrorCode code, const char* slug, const char* what, Micros until, Micros now) {
    Error e = Error::Make(code, slug, fmt::format("too many failed sign-ins {}; try again later", what));
    e.retry_after_s = std::max<Micros>(1, (until - now + kSecond - 1) / kSecond);
    return e;
}

std::string IpKey(const std::string& ip) { return "ip:" + ip; }

}  // namespace

AuthService::Impl::Impl(db::Database& db, events::EventBus& bus, const Clock& clock, IdentitySettings settings)
    : db(db),
      bus(bus),
      clock(clock),
      s(std::move(settings)),
      hasher(s.hashing),
      box(s.secret_key),
      jwt(s.jwt_secret, s.issuer, s.audience, s.access_ttl),
      dummy_hash(hasher.Hash(crypto::RandomToken(16))) {}

std::string AuthService::Impl::AddRefreshToken(db::Tx& tx, const std::string& session_id, Micros now) {
    std::string token = crypto::RandomToken(32);
    tx.Exec("INSERT INTO refresh_tokens (id, session_id, token_hash, created_at) VALUES (:id, :s, :h, :t)",
            {NewId("rtk"), session_id, crypto::Sha256Hex(token), now});
    return token;
}

TokenPair AuthService::Impl::StartSession(db::Tx& tx, const std::string& user_id, const RequestMeta& meta, Micros now) {
    std::string sid = NewId("ses");
    tx.Exec(
        "INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, ip, user_agent) "
        "VALUES (:id, :u, :c, :l, :e, :ip, :ua)",
        {sid, user_id, now, now, now + s.refresh_ttl, meta.ip, meta.user_agent.substr(0, 512)});
    return {jwt.Issue(user_id, sid, now), AddRefreshToken(tx, sid, now), s.access_ttl / kSecond};
}

void AuthService::Impl::RevokeSessions(db::Tx& tx, const std::string& user_id, const std::string& reason, Micros now) {
    tx.Exec("UPDATE sessions SET revoked_at = :t, revoke_reason = :r WHERE user_id = :u AND revoked_at IS NULL",
            {now, reason, user_id});
}

AuthService::AuthService(db::Database& db, events::EventBus& bus, const Clock& clock, IdentitySettings settings)
    : impl_(std::make_unique<Impl>(db, bus, clock, std::move(settings))) {}

AuthService::~AuthService() = default;

Result<AuthResult> AuthService::Register(const RegisterCommand& cmd, const RequestMeta& meta) {
    auto& m = *impl_;
    std::vector<FieldError> errors;
    auto email = NormaliseEmail(cmd.email);
    if (!email) errors.push_back({"email", "must be an e-mail address"});
    std::string name(Trim(cmd.name));
    if (name.empty() || Utf8Chars(name) > 100) errors.push_back({"name", "must be 1 to 100 characters"});
    if (auto why = CheckPassword(cmd.password, email.value_or(""), name, m.s.password_min, m.s.password_max))
        errors.push_back({"password", *why});
    if (!errors.empty()) return Error::Invalid("the account details are not valid", std::move(errors));

    std::string hash = m.hasher.Hash(cmd.password);
    Micros now = m.clock.Now();
    return db::WriteAndPublish(m.db, m.bus, meta, [&](db::Tx& tx, db::PendingEvents& published) -> Result<AuthResult> {
        std::string uid = NewId("usr");
        if (tx.Exec("INSERT INTO users (id, email, name, password_hash, created_at, updated_at) "
                    "VALUES (:id, :e, :n, :h, :c, :u) ON CONFLICT (email) DO NOTHING",
                    {uid, *email, name, hash, now, now}) == 0)
            return Error::Make(ErrorCode::kConflict, "email_taken", "an account with this e-mail already exists");
        Workspace ws{NewId("wsp"), name + "'s workspace", true, now, Role::kOwner};
        tx.Exec("INSERT INTO workspaces (id, name, personal, created_by, created_at) VALUES (:id, :n, 1, :u, :t)",
                {ws.id, ws.name, uid, now});
        tx.Exec("INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES (:w, :u, 'owner', :t)",
                {ws.id, uid, now});
        AuditEntry audit{.workspace_id = ws.id, .user_id = uid, .actor_id = uid, .action = "user.registered"};
        Record(tx, audit, meta, now, published);
        return AuthResult{User{uid, *email, name, false, now}, ws, m.StartSession(tx, uid, meta, now)};
    });
}

Result<AuthResult> AuthService::Login(const LoginCommand& cmd, const RequestMeta& meta) {
    auto& m = *impl_;
    Micros now = m.clock.Now();
    std::string email = NormaliseEmail(cmd.email).value_or(ToLower(Trim(cmd.email)));
    if (email.empty() || cmd.password.empty() || cmd.password.size() > 4 * m.s.password_max) {
        std::vector<FieldError> errors;
        if (email.empty()) errors.push_back({"email", "is required"});
        if (cmd.password.empty()) errors.push_back({"password", "is required"});
        if (errors.empty()) return InvalidCredentials();
        return Error::Invalid("e-mail and password are required", std::move(errors));
    }
    // Locks are checked before the password, so a right password during a lock is refused too.
    auto locks = m.db.Read([&](db::Tx& tx) {
        return std::make_pair(LockedUntil(tx, IpKey(meta.ip), now), LockedUntil(tx, AccountKey(email), now));
    });
    if (locks.first)
        return Locked(ErrorCode::kRateLimited, "too_many_attempts", "from this address", *locks.first, now);
    if (locks.second) return Locked(ErrorCode::kLocked, "account_locked", "for this account", *locks.second, now);

    struct Stored {
        User user;
        std::string hash, totp_secret;
        std::int64_t totp_last_step = 0;
    };
    auto stored = m.db.Read([&](db::Tx& tx) -> std::optional<Stored> {
        auto row = tx.QueryOne(
            "SELECT id, email, name, mfa_enabled, created_at, password_hash, totp_secret, totp_last_step "
            "FROM users WHERE email = :e",
            {email});
        if (!row) return std::nullopt;
        return Stored{UserFromRow(*row), row->Str(5), row->OptStr(6).value_or(""), row->Int(7)};
    });
    // Unknown e-mails cost one Argon2id verification too, so timing does not tell whether an account exists.
    bool password_ok = m.hasher.Verify(stored ? stored->hash : m.dummy_hash, cmd.password) && stored;

    enum class Outcome { kOk, kBadPassword, kMfaMissing, kMfaBad };
    Outcome outcome = !password_ok ? Outcome::kBadPassword : Outcome::kOk;
    std::optional<TokenPair> tokens;
    std::optional<Micros> locked_now;
    // Failures commit too: they count towards the lockout and are audited.
    (void)db::WriteAndPublish(m.db, m.bus, meta, [&](db::Tx& tx, db::PendingEvents& published) -> Result<void> {
        locked_now.reset();
        tokens.reset();
        outcome = !password_ok ? Outcome::kBadPassword : Outcome::kOk;
        if (password_ok && stored->user.mfa_enabled) {
            if (cmd.totp_code.empty() && cmd.recovery_code.empty()) {
                outcome = Outcome::kMfaMissing;
            } else if (!cmd.totp_code.empty()) {
                auto seed_b32 = m.box.Open(stored->totp_secret);
                auto seed = seed_b32 ? Base32Decode(*seed_b32) : std::nullopt;
                auto step = seed ? MatchTotp(*seed, Trim(cmd.totp_code), now,
                                             static_cast<std::uint64_t>(stored->totp_last_step))
                                 : std::nullopt;
                // Conditional update: of two concurrent logins with one code, one wins.
                if (!step ||
                    tx.Exec("UPDATE users SET totp_last_step = :s WHERE id = :id AND totp_last_step < :s2",
                            {static_cast<std::int64_t>(*step), stored->user.id, static_cast<std::int64_t>(*step)}) == 0)
                    outcome = Outcome::kMfaBad;
            } else {
                std::string code = ToLower(cmd.recovery_code);
                std::erase_if(code, [](char c) { return c == '-' || c == ' '; });
                if (tx.Exec("UPDATE recovery_codes SET used_at = :t WHERE user_id = :u AND code_hash = :h AND "
                            "used_at IS NULL",
                            {now, stored->user.id, crypto::Sha256Hex(code)}) == 0)
                    outcome = Outcome::kMfaBad;
                else {
                    AuditEntry a{
                        .user_id = stored->user.id, .actor_id = stored->user.id, .action = "auth.recovery_code_used"};
                    WriteAudit(tx, a, meta, now);
                }
            }
        }
        std::string uid = stored ? stored->user.id : "";
        if (outcome == Outcome::kBadPassword || outcome == Outcome::kMfaBad) {
            auto ip_lock = RecordFailure(tx, IpKey(meta.ip), m.IpPolicy(), now);
            auto acct_lock = RecordFailure(tx, AccountKey(email), m.AccountPolicy(), now);
            AuditEntry a{.user_id = uid,
                         .action = "auth.login_failed",
                         .details = outcome == Outcome::kMfaBad ? "invalid second factor" : "invalid credentials"};
            Record(tx, a, meta, now, published);
            locked_now = acct_lock ? acct_lock : ip_lock;
            if (locked_now) {
                AuditEntry l{.user_id = uid,
                             .action = "auth.locked",
                             .details = fmt::format("{} locked for {} s", acct_lock ? "account" : "address",
                                                    (*locked_now - now) / kSecond)};
                Record(tx, l, meta, now, published);
            }
            return Ok();
        }
        if (outcome == Outcome::kMfaMissing) return Ok();
        ClearThrottle(tx, AccountKey(email));
        tokens = m.StartSession(tx, uid, meta, now);
        AuditEntry a{.user_id = uid, .actor_id = uid, .action = "auth.login_succeeded"};
        Record(tx, a, meta, now, published);
        return Ok();
    });
    switch (outcome) {
        case Outcome::kOk:
            return AuthResult{stored->user, std::nullopt, *tokens};
        case Outcome::kMfaMissing:
            return Error::Make(ErrorCode::kUnauthorized, "mfa_required",
                               "this account has two-factor authentication: send totp_code or recovery_code");
        case Outcome::kMfaBad:
            return Error::Make(ErrorCode::kUnauthorized, "mfa_required", "the two-factor code is not valid");
        case Outcome::kBadPassword:
            break;
    }
    return InvalidCredentials();
}

Result<TokenPair> AuthService::Refresh(const std::string& refresh_token, const RequestMeta& meta) {
    auto& m = *impl_;
    Micros now = m.clock.Now();
    if (refresh_token.empty() || refresh_token.size() > 200)
        return Error::Invalid("refresh_token is required", {{"refresh_token", "is required"}});
    enum class Outcome { kOk, kUnknown, kReused };
    Outcome outcome = Outcome::kUnknown;
    TokenPair pair;
    // A reused token commits the revocation of its family, then fails.
    (void)db::WriteAndPublish(m.db, m.bus, meta, [&](db::Tx& tx, db::PendingEvents& published) -> Result<void> {
        outcome = Outcome::kUnknown;
        auto row = tx.QueryOne(
            "SELECT t.id, t.used_at, s.id, s.user_id, s.expires_at, s.revoked_at FROM refresh_tokens t "
            "JOIN sessions s ON s.id = t.session_id WHERE t.token_hash = :h",
            {crypto::Sha256Hex(refresh_token)});
        if (!row || !row->IsNull(5) || row->Int(4) <= now) return Ok();
        std::string token_id = row->Str(0), sid = row->Str(2), uid = row->Str(3);
        bool already_used =
            !row->IsNull(1) ||
            tx.Exec("UPDATE refresh_tokens SET used_at = :t WHERE id = :id AND used_at IS NULL", {now, token_id}) == 0;
        if (already_used) {
            // A rotated token came back: it was stolen or replayed. End the whole family.
            tx.Exec("UPDATE sessions SET revoked_at = :t, revoke_reason = 'refresh_token_reused' WHERE id = :id",
                    {now, sid});
            AuditEntry a{.user_id = uid, .action = "auth.refresh_token_reused", .details = "session " + sid};
            Record(tx, a, meta, now, published);
            outcome = Outcome::kReused;
            return Ok();
        }
        tx.Exec("UPDATE sessions SET last_used_at = :t, ip = :ip WHERE id = :id", {now, meta.ip, sid});
        pair = {m.jwt.Issue(uid, sid, now), m.AddRefreshToken(tx, sid, now), m.s.access_ttl / kSecond};
        outcome = Outcome::kOk;
        return Ok();
    });
    if (outcome == Outcome::kOk) return pair;
    if (outcome == Outcome::kReused)
        return Error::Make(ErrorCode::kUnauthorized, "refresh_token_reused",
                           "this refresh token was already used; the session has been ended");
    return Error::Make(ErrorCode::kUnauthorized, "invalid_refresh_token", "the refresh token is not valid");
}

Result<void> AuthService::Logout(const std::string& refresh_token, const RequestMeta& meta) {
    auto& m = *impl_;
    if (refresh_token.empty()) return Error::Invalid("refresh_token is required", {{"refresh_token", "is required"}});
    Micros now = m.clock.Now();
    m.db.Write([&](db::Tx& tx) {
        auto row = tx.QueryOne(
            "SELECT s.id, s.user_id FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id "
            "WHERE t.token_hash = :h AND s.revoked_at IS NULL",
            {crypto::Sha256Hex(refresh_token)});
        if (!row) return;
        tx.Exec("UPDATE sessions SET revoked_at = :t, revoke_reason = 'logout' WHERE id = :id", {now, row->Str(0)});
        WriteAudit(tx, {.user_id = row->Str(1), .actor_id = row->Str(1), .action = "auth.logout"}, meta, now);
    });
    return Ok();
}

Result<AccessClaims> AuthService::VerifyAccessToken(const std::string& token) const {
    constexpr std::size_t kMaxVerified = 16384;
    auto& m = *impl_;
    Micros now = m.clock.Now();
    auto invalid = [] {
        return Error::Make(ErrorCode::kUnauthorized, "invalid_token", "the access token is not valid");
    };
    if (token.empty() || token.size() > 4096) return invalid();
    {
        std::shared_lock lock(m.verified_mu);
        if (auto it = m.verified.find(token); it != m.verified.end()) {
            if (it->second.expires_at > now) return it->second;
            return invalid();  // expired: Verify below would refuse it too; it leaves when the map is cleared
        }
    }
    auto claims = m.jwt.Verify(token, now);
    if (!claims) return invalid();
    std::lock_guard lock(m.verified_mu);
    if (m.verified.size() >= kMaxVerified) m.verified.clear();
    m.verified.emplace(token, *claims);
    return *claims;
}

Result<Profile> AuthService::Me(const std::string& user_id) const {
    return impl_->db.Read([&](db::Tx& tx) -> Result<Profile> {
        auto row = tx.QueryOne(fmt::format("SELECT {} FROM users WHERE id = :id", kUserColumns), {user_id});
        if (!row) return Error::Make(ErrorCode::kUnauthorized, "invalid_token", "the account no longer exists");
        Profile p{UserFromRow(*row), {}};
        for (const auto& r : tx.Query("SELECT w.id, w.name, w.personal, w.created_at, m.role FROM memberships m "
                                      "JOIN workspaces w ON w.id = m.workspace_id WHERE m.user_id = :u "
                                      "ORDER BY w.created_at, w.id",
                                      {user_id}))
            p.workspaces.push_back(WorkspaceFromRow(r));
        return p;
    });
}

Result<std::vector<Session>> AuthService::ListSessions(const std::string& user_id,
                                                       const std::string& current_session) const {
    Micros now = impl_->clock.Now();
    return impl_->db.Read([&](db::Tx& tx) {
        std::vector<Session> out;
        for (const auto& r : tx.Query("SELECT id, created_at, last_used_at, expires_at, ip, user_agent FROM sessions "
                                      "WHERE user_id = :u AND revoked_at IS NULL AND expires_at > :t "
                                      "ORDER BY last_used_at DESC",
                                      {user_id, now}))
            out.push_back({r.Str(0), r.Int(1), r.Int(2), r.Int(3), r.Str(4), r.Str(5), r.Str(0) == current_session});
        return out;
    });
}

Result<void> AuthService::RevokeSession(const std::string& user_id, const std::string& session_id,
                                        const RequestMeta& meta) {
    Micros now = impl_->clock.Now();
    return impl_->db.Write([&](db::Tx& tx) -> Result<void> {
        if (tx.Exec("UPDATE sessions SET revoked_at = :t, revoke_reason = 'revoked' WHERE id = :id AND user_id = :u "
                    "AND revoked_at IS NULL",
                    {now, session_id, user_id}) == 0)
            return Error::NotFound("session");
        WriteAudit(tx,
                   {.user_id = user_id, .actor_id = user_id, .action = "auth.session_revoked", .details = session_id},
                   meta, now);
        return Ok();
    });
}

Result<void> AuthService::Unlock(const std::string& email) {
    auto normal = NormaliseEmail(email);
    if (!normal) return Error::Invalid("not an e-mail address", {{"email", "must be an e-mail address"}});
    impl_->db.Write([&](db::Tx& tx) { ClearThrottle(tx, AccountKey(*normal)); });
    return Ok();
}

}  // namespace uxf::identity
