// Retries with exponential backoff and full jitter, and the client pool.
#include <algorithm>
#include <charconv>
#include <optional>
#include <random>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "uxf/core/strings.hpp"
#include "uxf/platform/http_client.hpp"

namespace uxf::http {
namespace {

double RandomUnit() {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

// `Retry-After: <seconds>` as milliseconds; nullopt for the HTTP-date form, garbage or nothing.
std::optional<long long> RetryAfterMs(std::string_view value) {
    value = Trim(value);
    long long seconds = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (value.empty() || value.front() == '-' || end != value.data() + value.size()) return std::nullopt;
    if (ec == std::errc::result_out_of_range)
        seconds = 1'000'000'000;  // all digits, just too many: "long"
    else if (ec != std::errc())
        return std::nullopt;
    return std::min<long long>(seconds, 1'000'000'000) * 1000;
}

// Whether sending `request` again cannot do twice what it asks.
bool SafeToRepeat(const ClientRequest& request, const RetryPolicy& policy) {
    if (policy.retry_unsafe) return true;
    std::string method = ToLower(request.method);
    if (method != "post" && method != "patch") return true;  // GET, HEAD, PUT, DELETE, OPTIONS: idempotent
    return std::any_of(request.headers.begin(), request.headers.end(),
                       [](const auto& h) { return ToLower(h.first) == "idempotency-key"; });
}

}  // namespace

HttpClientPool::Lease::~Lease() {
    if (!client_) return;  // moved from
    std::lock_guard lock(pool_->mu_);
    if (pool_->idle_.size() < pool_->max_idle_) pool_->idle_.push_back(std::move(client_));
}

HttpClientPool::Lease HttpClientPool::Borrow() {
    {
        std::lock_guard lock(mu_);
        if (!idle_.empty()) {
            auto client = std::move(idle_.back());
            idle_.pop_back();
            return Lease(*this, std::move(client));
        }
    }
    return Lease(*this, std::make_unique<HttpClient>());
}

bool IsRetryableStatus(long status) { return status == 429 || (status >= 500 && status <= 599); }

std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int failures, std::string_view retry_after,
                                       double unit) {
    const long long max_delay = std::max(0L, policy.max_delay_ms);
    if (auto ms = RetryAfterMs(retry_after)) return std::chrono::milliseconds(std::min(*ms, max_delay));
    long long ceiling = std::max(0L, policy.base_delay_ms);
    for (int i = 1; i < failures && ceiling < max_delay; ++i) ceiling *= 2;
    ceiling = std::min(ceiling, max_delay);
    return std::chrono::milliseconds(static_cast<long long>(std::clamp(unit, 0.0, 1.0) * double(ceiling)));
}

ClientResponse SendWithRetries(const std::function<ClientResponse(const ClientRequest&)>& send,
                               const ClientRequest& request, const RetryPolicy& policy, const RetryHooks& hooks) {
    const int attempts = std::max(1, policy.max_attempts);
    const bool safe = SafeToRepeat(request, policy);
    for (int attempt = 1;; ++attempt) {
        std::string reason, retry_after;
        std::optional<ClientResponse> response;
        try {
            response = send(request);
        } catch (const TransportError& e) {
            if (attempt >= attempts || !safe) throw;
            reason = e.what();
        }
        if (response) {
            bool again = hooks.retryable ? hooks.retryable(*response) : IsRetryableStatus(response->status);
            if (!again || attempt >= attempts || (!safe && response->status != 429)) return std::move(*response);
            reason = fmt::format("HTTP {}", response->status);
            retry_after = response->Header("retry-after");
        }
        auto delay = BackoffDelay(policy, attempt, retry_after, RandomUnit());
        if (hooks.on_retry) hooks.on_retry(attempt, delay, reason);
        if (hooks.sleep)
            hooks.sleep(delay);
        else
            std::this_thread::sleep_for(delay);
    }
}

ClientResponse SendWithRetries(HttpClient& client, const ClientRequest& request, const RetryPolicy& policy,
                               const RetryHooks& hooks) {
    return SendWithRetries([&client](const ClientRequest& r) { return client.Send(r); }, request, policy, hooks);
}

}  // namespace uxf::http
