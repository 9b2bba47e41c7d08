#include "uxf/core/strings.hpp"

#include <array>
#include <cctype>

#include <sodium.h>

namespace uxf {
namespace {

constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view kBase64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int Base32Value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a';
    if (c >= '2' && c <= '7') return c - '2' + 26;
    return -1;
}

int Base64UrlValue(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
}

// Packs `bits_per_char`-bit groups (MSB first) into bytes; the shared core of both decoders.
template <class ValueOf>
std::optional<std::vector<std::uint8_t>> DecodeBits(std::string_view text, int bits_per_char, ValueOf value_of,
                                                    std::string_view skip) {
    std::vector<std::uint8_t> out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        if (skip.find(c) != std::string_view::npos) continue;
        int v = value_of(c);
        if (v < 0) return std::nullopt;
        buffer = (buffer << bits_per_char) | static_cast<std::uint32_t>(v);
        bits += bits_per_char;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<std::uint8_t>((buffer >> bits) & 0xFF));
        }
    }
    return out;
}

std::string EncodeBits(std::span<const std::uint8_t> bytes, int bits_per_char, std::string_view alphabet) {
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    const std::uint32_t mask = (1u << bits_per_char) - 1;
    for (std::uint8_t b : bytes) {
        buffer = (buffer << 8) | b;
        bits += 8;
        while (bits >= bits_per_char) {
            bits -= bits_per_char;
            out.push_back(alphabet[(buffer >> bits) & mask]);
        }
    }
    if (bits > 0) out.push_back(alphabet[(buffer << (bits_per_char - bits)) & mask]);
    return out;
}

}  // namespace

std::string ToLower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view Trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::string Base32Encode(std::span<const std::uint8_t> bytes) { return EncodeBits(bytes, 5, kBase32); }

std::optional<std::vector<std::uint8_t>> Base32Decode(std::string_view text) {
    return DecodeBits(text, 5, Base32Value, " =-");
}

std::string Base64UrlEncode(std::span<const std::uint8_t> bytes) { return EncodeBits(bytes, 6, kBase64Url); }

std::optional<std::vector<std::uint8_t>> Base64UrlDecode(std::string_view text) {
    return DecodeBits(text, 6, Base64UrlValue, "=");
}

std::string HexEncode(std::span<const std::uint8_t> bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (std::uint8_t b : bytes) {
        out.push_back(kHex[b >> 4]);
        out.push_back(kHex[b & 0xF]);
    }
    return out;
}

std::string UrlEncode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0xF]);
        }
    }
    return out;
}

std::vector<std::uint8_t> RandomBytes(std::size_t n) {
    std::vector<std::uint8_t> out(n);
    randombytes_buf(out.data(), n);
    return out;
}

}  // namespace uxf
