#include "stripe/client.hpp"

#include <chrono>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "stripe/form.hpp"
#include "uxf/platform/json_text.hpp"

namespace uxf::billing::stripe {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxMessage = 500;  // Stripe's messages are a sentence or two; an echoed body is not

Error Unavailable(std::string message) {
    return Error::Make(ErrorCode::kUnavailable, "stripe_unavailable", std::move(message));
}
Error Refused(std::string message) { return Error::Make(ErrorCode::kBadGateway, "stripe_error", std::move(message)); }

// Stripe's own verdict first (`Stripe-Should-Retry`, e.g. false when a retry would replay the same error, true on
// lock contention), else 429 and 5xx.
bool Retryable(const http::ClientResponse& response) {
    const std::string should = response.Header("stripe-should-retry");
    if (should == "false") return false;
    if (should == "true") return true;
    return http::IsRetryableStatus(response.status);
}

std::string StringMember(const json::object& object, std::string_view key) {
    const auto* v = object.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// "<message> (code: <code>, param: <param>)" from Stripe's error object; empty when the body holds none.
std::string StripeMessage(const json::value& answer) {
    const auto* object = answer.if_object();
    const auto* error = object ? object->if_contains("error") : nullptr;
    if (!error || !error->is_object()) return {};
    const auto& e = error->get_object();
    std::string message = StringMember(e, "message");
    if (message.size() > kMaxMessage) message = message.substr(0, kMaxMessage) + "...";
    std::string extra;
    for (const char* key : {"code", "decline_code", "param"})
        if (auto value = StringMember(e, key); !value.empty() && value.size() < 100)
            extra += fmt::format("{}{}: {}", extra.empty() ? "" : ", ", key, value);
    if (message.empty()) message = StringMember(e, "type");
    if (!extra.empty()) message += fmt::format("{}({})", message.empty() ? "" : " ", extra);
    return message;
}

void RequireKey(const std::string& idempotency_key) {
    if (idempotency_key.empty()) throw std::invalid_argument("a Stripe POST needs an idempotency key");
}

}  // namespace

Client::Client(ClientSettings settings, http::RetryHooks hooks)
    : settings_(std::move(settings)), hooks_(std::move(hooks)) {
    while (settings_.api_base.ends_with('/')) settings_.api_base.pop_back();
}

Result<json::object> Client::Post(std::string_view path, const json::object& params,
                                  const std::string& idempotency_key) {
    RequireKey(idempotency_key);
    http::ClientRequest request;
    request.method = "POST";
    request.url = settings_.api_base + std::string(path);
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Idempotency-Key", idempotency_key}};
    request.body = FormEncode(params);
    return Send(std::move(request));
}

Result<json::object> Client::Get(std::string_view path, const json::object& query) {
    http::ClientRequest request;
    request.method = "GET";
    request.url = settings_.api_base + std::string(path);
    if (!query.empty()) request.url += "?" + FormEncode(query);
    return Send(std::move(request));
}

Result<json::object> Client::Get(std::string_view path) { return Get(path, json::object()); }

Result<json::object> Client::Send(http::ClientRequest request) {
    if (!configured())
        return Error::Make(ErrorCode::kUnavailable, "billing_not_configured",
                           "billing is not configured: set UXFLOW_STRIPE_SECRET_KEY");
    request.timeout_ms = settings_.timeout_ms;
    request.headers.emplace_back("Authorization", "Bearer " + settings_.secret_key);
    request.headers.emplace_back("Stripe-Version", settings_.api_version);
    request.headers.emplace_back("Accept", "application/json");

    auto hooks = hooks_;
    hooks.retryable = Retryable;
    int tries = 1;
    hooks.on_retry = [&](int attempt, std::chrono::milliseconds delay, const std::string& why) {
        ++tries;
        if (hooks_.on_retry)
            hooks_.on_retry(attempt, delay, why);
        else
            spdlog::warn("Stripe {} {}: {} (try {} of {}), trying again in {} ms", request.method, request.url, why,
                         attempt, settings_.retry.max_attempts, delay.count());
    };
    auto after = [&tries] { return tries > 1 ? fmt::format(" (after {} tries)", tries) : std::string(); };

    http::ClientResponse response;
    try {
        auto client = clients_.Borrow();
        response = http::SendWithRetries(*client, request, settings_.retry, hooks);
    } catch (const http::TransportError& e) {  // refused, reset, timed out: its message names no key or query
        return Unavailable(Scrub(fmt::format("Stripe is unreachable: {}{}", e.what(), after())));
    }

    boost::system::error_code ec;
    auto answer = json_text::Parse(response.body, ec);
    const std::string stripe_message = ec ? std::string() : StripeMessage(answer);
    const std::string request_id = response.Header("request-id");
    const std::string id = request_id.empty() ? "" : fmt::format(" [request {}]", request_id);
    auto with = [&](std::string_view text) { return stripe_message.empty() ? std::string(text) : stripe_message; };

    if (response.status >= 200 && response.status <= 299) {
        if (ec || !answer.is_object()) return Refused("Stripe answered with something other than a JSON object" + id);
        return std::move(answer.as_object());
    }
    if (http::IsRetryableStatus(response.status))
        return Unavailable(
            Scrub(fmt::format("Stripe answered HTTP {}: {}{}{}", response.status, with("no message"), after(), id)));
    if (response.status == 401)
        return Refused(Scrub(fmt::format("Stripe refused the API key (HTTP 401: {}): check UXFLOW_STRIPE_SECRET_KEY{}",
                                         with("no message"), id)));
    if (ec) return Refused(fmt::format("Stripe answered HTTP {} with a body that is not JSON{}", response.status, id));
    return Refused(Scrub(fmt::format("Stripe answered HTTP {}: {}{}", response.status, with("no message"), id)));
}

// A proxy, or a fake, may echo the request back: the key never leaves in a message.
std::string Client::Scrub(std::string text) const {
    const auto& key = settings_.secret_key;
    for (std::size_t at; !key.empty() && (at = text.find(key)) != std::string::npos;)
        text.replace(at, key.size(), "***");
    return text;
}

Result<std::string> Client::CreateCustomer(const CustomerParams& params, const std::string& idempotency_key) {
    json::object form;
    if (!params.name.empty()) form["name"] = params.name;
    if (!params.email.empty()) form["email"] = params.email;
    form["metadata"] = json::object{{"workspace_id", params.workspace_id}};
    auto answer = Post("/v1/customers", form, idempotency_key);
    if (!answer) return std::move(answer).error();
    auto id = StringMember(*answer, "id");
    if (id.empty()) return Refused("Stripe's customer has no id");
    return id;
}

Result<CheckoutSession> Client::CreateCheckoutSession(const CheckoutParams& params,
                                                      const std::string& idempotency_key) {
    if (params.mode != "subscription" && params.mode != "payment")
        throw std::invalid_argument("checkout mode must be subscription or payment, not " + params.mode);
    const json::object ours{{"workspace_id", params.workspace_id}, {"price_key", params.price_key}};
    json::object form{{"customer", params.customer},
                      {"mode", params.mode},
                      {"line_items", json::array{json::object{{"price", params.price_id}, {"quantity", 1}}}},
                      {"success_url", params.success_url},
                      {"cancel_url", params.cancel_url},
                      {"client_reference_id", params.workspace_id},
                      {"metadata", ours}};
    if (params.mode == "subscription")
        form["subscription_data"] = json::object{{"metadata", ours}};
    else
        form["payment_intent_data"] = json::object{{"metadata", {{"workspace_id", params.workspace_id}}}};
    auto answer = Post("/v1/checkout/sessions", form, idempotency_key);
    if (!answer) return std::move(answer).error();
    CheckoutSession session{StringMember(*answer, "id"), StringMember(*answer, "url")};
    if (session.id.empty() || session.url.empty()) return Refused("Stripe's checkout session has no id or url");
    return session;
}

Result<std::string> Client::CreatePortalSession(const std::string& customer, const std::string& return_url,
                                                const std::string& idempotency_key) {
    auto answer =
        Post("/v1/billing_portal/sessions", {{"customer", customer}, {"return_url", return_url}}, idempotency_key);
    if (!answer) return std::move(answer).error();
    auto url = StringMember(*answer, "url");
    if (url.empty()) return Refused("Stripe's portal session has no url");
    return url;
}

}  // namespace uxf::billing::stripe
