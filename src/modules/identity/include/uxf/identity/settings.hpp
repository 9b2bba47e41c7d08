#pragma once
#include <span>
#include <string>

#include "uxf/core/clock.hpp"
#include "uxf/core/settings.hpp"
#include "uxf/platform/crypto.hpp"

namespace uxf::identity {

/// Identity settings; `app/` fills them from UXFLOW_* variables.
struct IdentitySettings {
    std::string jwt_secret;               ///< HS256 key (>= 32 bytes); required
    std::string secret_key;               ///< base64url 32-byte key sealing TOTP seeds; required
    std::string issuer = "uxflow";        ///< JWT `iss`
    std::string audience = "uxflow-api";  ///< JWT `aud`
    Micros access_ttl = 15 * kMinute;     ///< access token lifetime
    Micros refresh_ttl = 30 * kDay;       ///< absolute lifetime of a session (refresh-token family)
    std::size_t password_min = 12;        ///< password length bounds, in characters
    std::size_t password_max = 128;
    crypto::PasswordHashSettings hashing{};            ///< Argon2id cost (OWASP defaults)
    int account_lock_threshold = 5;                    ///< failed logins on one account before it locks (423)
    int ip_lock_threshold = 20;                        ///< failed logins from one IP before it is refused (429)
    Micros failure_window = 15 * kMinute;              ///< failures older than this are forgotten
    Micros lock_base = 1 * kMinute;                    ///< first lock; doubles with each lock in a day
    Micros lock_max = 15 * kMinute;                    ///< longest lock: no lock ever lasts longer
    Micros reset_token_ttl = 1 * kHour;                ///< password reset link lifetime
    std::string public_url = "http://127.0.0.1:8080";  ///< base of links in mails
    std::string totp_issuer = "UX-Flow-Engine";        ///< shown by authenticator apps
};

/// The UXFLOW_* variables of IdentitySettings (the defaults are the struct's; `app/` generates the secrets when they
/// are not given). `issuer` and `audience` have none: they name this service in its own tokens.
std::span<const settings::Entry<IdentitySettings>> IdentitySettingsTable();

}  // namespace uxf::identity
