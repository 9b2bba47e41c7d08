#include "uxf/identity/settings.hpp"

namespace uxf::identity {
namespace {

using namespace settings;
using I = IdentitySettings;
using H = crypto::PasswordHashSettings;

constexpr Entry<I> kTable[] = {
    Text<&I::jwt_secret>(
        "UXFLOW_JWT_SECRET",
        "HS256 key for access tokens, at least 32 bytes. Set it, identically, on every instance of a cluster.",
        "(generated in the data dir)"),
    Text<&I::secret_key>("UXFLOW_SECRET_KEY",
                         "32-byte base64url key that encrypts secrets at rest (TOTP seeds). Same on every instance.",
                         "(generated in the data dir)"),
    Integer<&I::account_lock_threshold>("UXFLOW_LOCKOUT_ACCOUNT_THRESHOLD", 1, 1000,
                                        "Failed logins on one account (in the window) before it locks (423)."),
    Integer<&I::ip_lock_threshold>("UXFLOW_LOCKOUT_IP_THRESHOLD", 1, 100000,
                                   "Failed logins from one IP (in the window) before it is refused (429)."),
    Seconds<&I::failure_window>("UXFLOW_LOCKOUT_WINDOW_S", 1, 86400, "Failures older than this are forgotten."),
    Seconds<&I::lock_base>("UXFLOW_LOCKOUT_BASE_S", 1, 86400, "First lock; each further lock within a day doubles it."),
    Seconds<&I::lock_max>("UXFLOW_LOCKOUT_MAX_S", 1, 86400, "No lock lasts longer than this."),
    Seconds<&I::access_ttl>("UXFLOW_ACCESS_TOKEN_TTL_S", 60, 86400, "Access token lifetime."),
    Seconds<&I::refresh_ttl>("UXFLOW_REFRESH_TOKEN_TTL_S", 3600, 31536000,
                             "Absolute lifetime of a session (refresh-token family)."),
    Seconds<&I::reset_token_ttl>("UXFLOW_PASSWORD_RESET_TTL_S", 300, 86400,
                                 "Lifetime of a password reset link (the mail gives it in minutes)."),
    Integer<&I::password_min>("UXFLOW_PASSWORD_MIN_CHARS", 8, 64, "Shortest password accepted, in characters."),
    Integer<&I::password_max>("UXFLOW_PASSWORD_MAX_CHARS", 64, 1024, "Longest password accepted, in characters."),
    Integer<&I::hashing, &H::ops_limit>("UXFLOW_PASSWORD_HASH_PASSES", 2, 10,
                                        "Argon2id passes per password hash, at least OWASP's 2. Applies to passwords "
                                        "set from then on; older hashes still verify."),
    Integer<&I::hashing, &H::mem_limit_bytes>("UXFLOW_PASSWORD_HASH_MEMORY_BYTES", 19 << 20, 1 << 30,
                                              "Argon2id memory per password hash, at least OWASP's 19 MiB; each "
                                              "hashing thread uses this much while it hashes."),
    Text<&I::public_url>("UXFLOW_PUBLIC_URL", "Base URL of links in mails."),
    Text<&I::totp_issuer>("UXFLOW_TOTP_ISSUER",
                          "Name authenticator apps show beside a two-factor code (for new enrolments)."),
};

}  // namespace

std::span<const Entry<I>> IdentitySettingsTable() { return kTable; }

}  // namespace uxf::identity
