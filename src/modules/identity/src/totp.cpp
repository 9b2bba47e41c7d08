#include "uxf/identity/totp.hpp"

#include <fmt/format.h>

#include "internal.hpp"
#include "uxf/platform/crypto.hpp"

namespace uxf::identity {

std::string Hotp(std::span<const std::uint8_t> key, std::uint64_t counter, int digits) {
    std::uint8_t msg[8];
    for (int i = 7; i >= 0; --i) {
        msg[i] = static_cast<std::uint8_t>(counter & 0xFF);
        counter >>= 8;
    }
    auto mac = crypto::HmacSha1(key, msg);
    int offset = mac.back() & 0x0F;  // RFC 4226 dynamic truncation
    std::uint32_t bin = (static_cast<std::uint32_t>(mac[offset] & 0x7F) << 24) |
                        (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                        (static_cast<std::uint32_t>(mac[offset + 2]) << 8) | mac[offset + 3];
    std::uint32_t mod = 1;
    for (int i = 0; i < digits; ++i) mod *= 10;
    return fmt::format("{:0{}}", bin % mod, digits);
}

std::uint64_t TotpStep(std::int64_t unix_seconds, int period) {
    return static_cast<std::uint64_t>(unix_seconds / period);
}

std::optional<std::uint64_t> MatchTotp(std::span<const std::uint8_t> seed, std::string_view code, Micros now,
                                       std::uint64_t last_step) {
    if (code.size() != 6 || code.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
    std::uint64_t step = TotpStep(now / kSecond);
    for (std::uint64_t s : {step - 1, step, step + 1}) {
        if (s <= last_step) continue;  // each code works once
        if (crypto::ConstantTimeEquals(Hotp(seed, s), code)) return s;
    }
    return std::nullopt;
}

}  // namespace uxf::identity
