#include "uxf/core/ids.hpp"

#include <cstdint>
#include <cstring>

#include "uxf/core/strings.hpp"

namespace uxf {

namespace {
constexpr std::size_t kIdChars = 26;  // ceil(128 / 5)

// `<prefix>_` + the 16 bytes in lowercase base32.
std::string FormatId(std::string_view prefix, std::span<const std::uint8_t> bytes) {
    std::string id(prefix);
    id += '_';
    id += ToLower(Base32Encode(bytes));
    return id;
}

}  // namespace

std::string NewId(std::string_view prefix) { return FormatId(prefix, RandomBytes(16)); }

std::string NewCorrelationId(std::string_view prefix) {
    // xoshiro256** (Blackman and Vigna), seeded from the system's generator once per thread.
    thread_local std::uint64_t s[4] = {};
    thread_local bool seeded = false;
    if (!seeded) {
        auto seed = RandomBytes(32);
        std::memcpy(s, seed.data(), sizeof s);
        seeded = true;
    }
    auto next = [] {
        auto rotl = [](std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); };
        std::uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = rotl(s[3], 45);
        return result;
    };
    std::uint64_t words[2] = {next(), next()};
    std::uint8_t bytes[sizeof words];
    std::memcpy(bytes, words, sizeof words);
    return FormatId(prefix, bytes);
}

bool IsId(std::string_view id, std::string_view prefix) {
    if (id.size() != prefix.size() + 1 + kIdChars || id.substr(0, prefix.size()) != prefix || id[prefix.size()] != '_')
        return false;
    for (char c : id.substr(prefix.size() + 1)) {
        if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'))) return false;
    }
    return true;
}

}  // namespace uxf
