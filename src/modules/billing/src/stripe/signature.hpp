// Stripe's webhook signatures (docs.stripe.com/webhooks#verify-manually): the `Stripe-Signature` header is
// "t=<unix seconds>,v1=<hex>[,v1=<hex>...][,v0=<hex>]", each v1 an HMAC-SHA256 of "<t>.<raw body>" keyed with an
// endpoint's signing secret ("whsec_...", the whole text as the key). While a secret is rolled, Stripe signs with
// both the old and the new one: one v1 each.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "uxf/core/clock.hpp"
#include "uxf/core/result.hpp"

namespace uxf::billing::stripe {

struct SignatureCheck {
    std::vector<std::string> secrets;  ///< the endpoint's signing secrets: the current one, and the old during a roll
    Micros now = 0;                    ///< when the request arrived
    Micros tolerance = 300 * kSecond;  ///< how far `t` may be from `now`, either way (Stripe's libraries: 5 minutes)
};

/// Ok when any v1 signature in `header` is the HMAC of `body` under any of the secrets, and its `t` is within the
/// tolerance of `now` (a stale timestamp is a replay; one from the future as well, unlike stripe-node, which checks
/// only age). Other schemes (v0, Stripe's test scheme) are ignored. Otherwise kInvalidInput, slug
/// `invalid_signature`, the message saying which check failed (never a secret or an expected signature).
Result<void> VerifySignature(std::string_view header, std::string_view body, const SignatureCheck& check);

/// The v1 signature of `body` sent at `timestamp` (unix seconds) under `secret`: lower-case hex HMAC-SHA256 of
/// "<timestamp>.<body>". For tests and benches; a header is "t=<timestamp>,v1=<this>".
std::string SignPayload(std::string_view secret, std::int64_t timestamp, std::string_view body);

}  // namespace uxf::billing::stripe
