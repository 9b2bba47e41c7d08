#include "stripe/signature.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "uxf/core/strings.hpp"
#include "uxf/platform/crypto.hpp"

namespace uxf::billing::stripe {
namespace {

Error Invalid(std::string message) {
    return Error::Make(ErrorCode::kInvalidInput, "invalid_signature", "invalid Stripe-Signature: " + message);
}

// Seconds that still fit in Micros once multiplied (year ~294,000): anything larger is not a timestamp.
constexpr std::int64_t kMaxSeconds = std::numeric_limits<Micros>::max() / kSecond;

std::optional<std::int64_t> ParseSeconds(std::string_view text) {
    std::int64_t t = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), t);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || t < 0 || t > kMaxSeconds)
        return std::nullopt;
    return t;
}

}  // namespace

std::string SignPayload(std::string_view secret, std::int64_t timestamp, std::string_view body) {
    std::string message = fmt::format("{}.", timestamp);
    message += body;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (!HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
              reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &size))
        throw std::runtime_error("HMAC-SHA256 failed");
    return HexEncode({mac, size});
}

Result<void> VerifySignature(std::string_view header, std::string_view body, const SignatureCheck& check) {
    if (Trim(header).empty()) return Invalid("no header");
    bool has_t = false;
    std::optional<std::int64_t> timestamp;
    std::vector<std::string_view> signatures;
    for (std::size_t start = 0; start <= header.size();) {
        std::size_t comma = std::min(header.find(',', start), header.size());
        std::string_view item = Trim(header.substr(start, comma - start));
        start = comma + 1;
        std::size_t eq = item.find('=');
        if (eq == std::string_view::npos) continue;
        std::string_view key = item.substr(0, eq), value = item.substr(eq + 1);
        if (key == "t") {
            has_t = true;
            timestamp = ParseSeconds(value);
        } else if (key == "v1") {
            signatures.push_back(value);
        }
    }
    if (!has_t) return Invalid("malformed header: no timestamp (t=)");
    if (!timestamp) return Invalid("malformed header: t is not unix seconds");
    if (signatures.empty()) return Invalid("no v1 signature");
    // Both are at least 0 (ParseSeconds bounds t), so the difference cannot overflow.
    const Micros sent = *timestamp * kSecond, now = std::max<Micros>(check.now, 0);
    if ((now >= sent ? now - sent : sent - now) > check.tolerance) return Invalid("timestamp outside the tolerance");
    // Every v1 compared with every secret's signature, without stopping early: the time spent does not tell which.
    bool match = false;
    for (const auto& secret : check.secrets) {
        const std::string expected = SignPayload(secret, *timestamp, body);
        for (auto signature : signatures) match |= crypto::ConstantTimeEquals(expected, signature);
    }
    if (!match) return Invalid("no signature matches");
    return Ok();
}

}  // namespace uxf::billing::stripe
