#pragma once
#include <memory>
#include <string>

#include "uxf/core/context.hpp"
#include "uxf/core/result.hpp"
#include "uxf/identity/settings.hpp"
#include "uxf/identity/types.hpp"

namespace uxf::db {
class Database;
}
namespace uxf::events {
class EventBus;
}

namespace uxf::identity {

struct RegisterCommand {
    std::string email;
    std::string password;
    std::string name;
};

struct LoginCommand {
    std::string email;
    std::string password;
    std::string totp_code;      ///< optional
    std::string recovery_code;  ///< optional
};

/// Accounts, sign-in, tokens, sessions, 2FA and password reset. Every method is one unit of work; security
/// events are written to the audit log in the same transaction and published after commit.
class AuthService {
  public:
    AuthService(db::Database& db, events::EventBus& bus, const Clock& clock, IdentitySettings settings);
    ~AuthService();

    /// Creates the user and a personal workspace they own; 409 `email_taken`.
    Result<AuthResult> Register(const RegisterCommand& cmd, const RequestMeta& meta);
    /// 401 `invalid_credentials` alike for unknown e-mail and wrong password; 401 `mfa_required`; 423/429 when
    /// locked out (Retry-After), even for the right password.
    Result<AuthResult> Login(const LoginCommand& cmd, const RequestMeta& meta);
    /// Rotates the refresh token. A token already rotated revokes its whole family: 401 `refresh_token_reused`.
    Result<TokenPair> Refresh(const std::string& refresh_token, const RequestMeta& meta);
    /// Revokes the refresh token's family. Unknown tokens are ignored.
    Result<void> Logout(const std::string& refresh_token, const RequestMeta& meta);

    /// Checks signature (HS256 only), issuer, audience, expiry and type. 401 `invalid_token` otherwise.
    Result<AccessClaims> VerifyAccessToken(const std::string& token) const;

    /// The user and every workspace they belong to, read in one transaction (`GET /v1/me`).
    Result<Profile> Me(const std::string& user_id) const;
    Result<std::vector<Session>> ListSessions(const std::string& user_id, const std::string& current_session) const;
    Result<void> RevokeSession(const std::string& user_id, const std::string& session_id, const RequestMeta& meta);

    /// Starts 2FA enrolment: a new seed, not active until Enable2fa proves the authenticator has it.
    Result<TotpSetup> Setup2fa(const std::string& user_id, const RequestMeta& meta);
    /// Activates 2FA with a valid code and returns 10 single-use recovery codes (shown once).
    Result<std::vector<std::string>> Enable2fa(const std::string& user_id, const std::string& code,
                                               const RequestMeta& meta);
    Result<void> Disable2fa(const std::string& user_id, const std::string& password, const std::string& code,
                            const RequestMeta& meta);

    /// Always succeeds (no enumeration); queues a reset mail when the account exists.
    Result<void> ForgotPassword(const std::string& email, const RequestMeta& meta);
    /// Sets a new password with a reset token; revokes every session of the user.
    Result<void> ResetPassword(const std::string& token, const std::string& password, const RequestMeta& meta);

    /// Clears the lockout of an account (operator tool: `uxflow admin unlock`).
    Result<void> Unlock(const std::string& email);

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace uxf::identity
