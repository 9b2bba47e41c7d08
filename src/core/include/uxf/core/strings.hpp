#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace uxf {

std::string ToLower(std::string_view s);
std::string_view Trim(std::string_view s);

/// RFC 4648 base32, upper case, without padding (the alphabet authenticator apps use for TOTP seeds).
std::string Base32Encode(std::span<const std::uint8_t> bytes);
/// Decodes RFC 4648 base32; accepts lower case, spaces and padding. nullopt on a bad character.
std::optional<std::vector<std::uint8_t>> Base32Decode(std::string_view text);

/// RFC 4648 base64url without padding.
std::string Base64UrlEncode(std::span<const std::uint8_t> bytes);
std::optional<std::vector<std::uint8_t>> Base64UrlDecode(std::string_view text);

std::string HexEncode(std::span<const std::uint8_t> bytes);

/// Percent-encodes everything but RFC 3986 unreserved characters.
std::string UrlEncode(std::string_view s);

/// Cryptographically secure random bytes (libsodium).
std::vector<std::uint8_t> RandomBytes(std::size_t n);

inline std::span<const std::uint8_t> AsBytes(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace uxf
