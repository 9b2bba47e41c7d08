// Webhook deliveries signed as Stripe signs them (HMAC-SHA256 over "t.body", hex), computed with OpenSSL here,
// independently of the server's own verifier.
#pragma once
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <cstdint>
#include <string>

#include <fmt/format.h>

namespace uxf::testing {

inline std::string StripeHmac(const std::string& key, const std::string& message) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
         message.size(), out, &n);
    std::string hex;
    for (unsigned int i = 0; i < n; ++i) hex += fmt::format("{:02x}", out[i]);
    return hex;
}

inline std::int64_t UnixNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// The `Stripe-Signature` header of `body` sent at `t` under `secret`.
inline std::string SignatureHeader(const std::string& secret, const std::string& body, std::int64_t t = UnixNow()) {
    return fmt::format("t={},v1={}", t, StripeHmac(secret, std::to_string(t) + "." + body));
}

/// A credit-pack Checkout session paid by workspace `ws`, as the object of a checkout.session.completed event.
inline std::string PaidPackSession(const std::string& id, const std::string& ws) {
    return fmt::format(R"({{"id":"{}","object":"checkout.session","mode":"payment","payment_status":"paid",)"
                       R"("customer":"cus_test_1","client_reference_id":"{}",)"
                       R"("metadata":{{"workspace_id":"{}","price_key":"credits_1000"}}}})",
                       id, ws, ws);
}

inline std::string StripeEvent(const std::string& id, const std::string& type, const std::string& object,
                               std::int64_t created = UnixNow()) {
    return fmt::format(R"({{"id":"{}","object":"event","type":"{}","created":{},"livemode":false,)"
                       R"("data":{{"object":{}}}}})",
                       id, type, created, object);
}

}  // namespace uxf::testing
