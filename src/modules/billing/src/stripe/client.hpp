// Stripe's REST API (docs.stripe.com/api): form-encoded requests, JSON answers, errors as {"error": {...}}. The
// billing service calls it synchronously; retries, timeouts and connection reuse come from the platform client.
#pragma once
#include <string>
#include <string_view>

#include "uxf/core/result.hpp"
#include "uxf/platform/http_client.hpp"

namespace boost::json {
class object;  // the JSON types stay out of headers (scripts/check-layering.sh): callers include boost/json.hpp
}

namespace uxf::billing::stripe {

/// The API version every request pins (`Stripe-Version`), so a change of the account's default cannot change the
/// answers under us. Pre-"basil": later versions moved fields this client reads.
inline constexpr char kApiVersion[] = "2024-06-20";

struct ClientSettings {
    std::string api_base = "https://api.stripe.com";  ///< tests point it at a fake server
    std::string secret_key;                           ///< sk_... or rk_...; empty: billing is not configured
    std::string api_version = kApiVersion;
    long timeout_ms = 20'000;  ///< per try
    /// Stripe's libraries: a few tries, 0.5 s doubling up to 5 s. Every POST carries an Idempotency-Key, so a try
    /// after a 5xx or a dropped connection cannot act twice.
    http::RetryPolicy retry{.max_attempts = 3, .base_delay_ms = 500, .max_delay_ms = 5'000};
};

struct CheckoutSession {
    std::string id, url;
};

struct CustomerParams {
    std::string workspace_id, name, email;  ///< name and email are left out when empty
};

struct CheckoutParams {
    std::string customer;  ///< cus_...
    std::string price_id;  ///< price_...
    std::string mode;      ///< "subscription" or "payment"
    std::string success_url, cancel_url;
    std::string workspace_id;  ///< ours, carried back in the webhook events' metadata
    std::string price_key;     ///< our name of the price, e.g. "pro_monthly"
};

/// Thread-safe: requests from several threads share a pool of connections.
///
/// Errors: not configured -> 503 `billing_not_configured` (nothing sent); no answer, or 429/5xx once the tries run
/// out -> 503 `stripe_unavailable`; any other refusal (4xx with Stripe's error object, 401 for a refused key) or an
/// answer that is not a JSON object -> 502 `stripe_error`, with Stripe's message, code and param. No message ever
/// holds the secret key.
class Client {
  public:
    /// `hooks.sleep` and `hooks.on_retry` are used as given (tests record instead of sleeping; without on_retry a
    /// retry is logged as a warning); `hooks.retryable` is the client's own (429, 5xx, `Stripe-Should-Retry`).
    explicit Client(ClientSettings settings, http::RetryHooks hooks = {});

    bool configured() const { return !settings_.secret_key.empty(); }

    /// POST {api_base}{path} with `params` form-encoded. `idempotency_key` must not be empty (std::invalid_argument
    /// otherwise): every try carries the same one, so Stripe acts once however often it is sent. Retries 429, 5xx
    /// and transport failures, except when Stripe says `Stripe-Should-Retry: false`, and retries whatever it
    /// answered when it says `true`. Returns the answer's JSON object.
    Result<boost::json::object> Post(std::string_view path, const boost::json::object& params,
                                     const std::string& idempotency_key);
    /// GET {api_base}{path}?{query form-encoded}, retried like Post.
    Result<boost::json::object> Get(std::string_view path, const boost::json::object& query);
    Result<boost::json::object> Get(std::string_view path);

    /// POST /v1/customers (name, email, metadata[workspace_id]); the new customer's id.
    Result<std::string> CreateCustomer(const CustomerParams& params, const std::string& idempotency_key);
    /// POST /v1/checkout/sessions for one unit of one price, the workspace in client_reference_id and in the
    /// metadata of the session and of what it creates (the subscription, or the payment intent). Throws
    /// std::invalid_argument for a mode other than "subscription" or "payment".
    Result<CheckoutSession> CreateCheckoutSession(const CheckoutParams& params, const std::string& idempotency_key);
    /// POST /v1/billing_portal/sessions; the portal's URL.
    Result<std::string> CreatePortalSession(const std::string& customer, const std::string& return_url,
                                            const std::string& idempotency_key);

  private:
    Result<boost::json::object> Send(http::ClientRequest request);
    std::string Scrub(std::string text) const;

    ClientSettings settings_;
    http::RetryHooks hooks_;
    http::HttpClientPool clients_;
};

}  // namespace uxf::billing::stripe
