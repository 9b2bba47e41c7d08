#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace uxf::crypto {

/// SHA-256 of `data` as lower-case hex. For high-entropy secrets (refresh tokens, reset tokens, recovery codes)
/// a fast hash is right: there is nothing to brute-force.
std::string Sha256Hex(std::string_view data);

/// HMAC-SHA1 (OpenSSL), for TOTP per RFC 6238.
std::vector<std::uint8_t> HmacSha1(std::span<const std::uint8_t> key, std::span<const std::uint8_t> message);

/// Compares in time independent of where the inputs differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

/// `bytes` random bytes as base64url: opaque tokens (refresh, reset, realtime tickets).
std::string RandomToken(std::size_t bytes = 32);

/// Authenticated encryption of small secrets at rest (libsodium secretbox: XSalsa20-Poly1305).
class SecretBox {
  public:
    /// `key` is 32 bytes, given as base64url (what `NewKey` returns).
    explicit SecretBox(std::string_view key_b64);
    static std::string NewKey();
    /// base64url(nonce || ciphertext).
    std::string Seal(std::string_view plaintext) const;
    /// nullopt when the text was not sealed with this key or was altered.
    std::optional<std::string> Open(std::string_view sealed) const;

  private:
    std::vector<std::uint8_t> key_;
};

/// Argon2id cost; the defaults are OWASP's recommendation (m=19 MiB, t=2, p=1).
struct PasswordHashSettings {
    std::uint64_t ops_limit = 2;
    std::size_t mem_limit_bytes = 19u * 1024 * 1024;
};

/// Argon2id password hashing through libsodium, stored as PHC strings (`$argon2id$v=19$m=19456,t=2,p=1$...`).
class PasswordHasher {
  public:
    explicit PasswordHasher(PasswordHashSettings settings = {});
    std::string Hash(std::string_view password) const;
    bool Verify(std::string_view phc, std::string_view password) const;
    /// True when `phc` was made with weaker parameters than the current ones and should be re-hashed.
    bool NeedsRehash(std::string_view phc) const;

  private:
    PasswordHashSettings settings_;
};

}  // namespace uxf::crypto
