#pragma once
#include <cstdint>
#include <span>
#include <string>

namespace uxf::identity {

/// HOTP (RFC 4226) with HMAC-SHA1: the `digits`-digit code for `counter`.
std::string Hotp(std::span<const std::uint8_t> key, std::uint64_t counter, int digits = 6);

/// TOTP (RFC 6238): the time step (30 s by default) that `unix_seconds` falls in.
std::uint64_t TotpStep(std::int64_t unix_seconds, int period = 30);

}  // namespace uxf::identity
