#pragma once
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace uxf::http {

struct ClientRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    long timeout_ms = 10000;
};

struct ClientResponse {
    long status = 0;
    std::vector<std::pair<std::string, std::string>> headers;  ///< names lower-cased
    std::string body;
    std::string Header(std::string_view name) const;
};

/// Outbound HTTP(S) over libcurl. Throws TransportError on transport failure (refused, timeout, TLS); its message
/// names the URL without its user, password or query.
/// One client per thread, or guard it: a client reuses its connection between calls.
class HttpClient {
  public:
    HttpClient();
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;
    ClientResponse Send(const ClientRequest& request);

  private:
    void* curl_;
};

/// Clients shared by several threads, each used by one thread at a time: Borrow() hands out an idle client (or
/// makes one), and the lease gives it back when it ends, its connections still open for the next borrower.
class HttpClientPool {
  public:
    class Lease {
      public:
        Lease(HttpClientPool& pool, std::unique_ptr<HttpClient> client) : pool_(&pool), client_(std::move(client)) {}
        Lease(Lease&& other) noexcept = default;
        Lease& operator=(Lease&&) = delete;
        ~Lease();
        HttpClient& operator*() const { return *client_; }
        HttpClient* operator->() const { return client_.get(); }

      private:
        HttpClientPool* pool_;
        std::unique_ptr<HttpClient> client_;
    };

    /// Keeps at most `max_idle` clients between uses; more may be out at once.
    explicit HttpClientPool(std::size_t max_idle = 8) : max_idle_(max_idle) {}
    Lease Borrow();

  private:
    std::mutex mu_;
    std::vector<std::unique_ptr<HttpClient>> idle_;
    std::size_t max_idle_;
};

/// How often, and how patiently, SendWithRetries tries again.
struct RetryPolicy {
    int max_attempts = 4;        ///< tries in all, the first included (1: no retry)
    long base_delay_ms = 500;    ///< the first backoff's ceiling; it doubles with every failure
    long max_delay_ms = 20'000;  ///< no wait is longer, `Retry-After` included
    /// A request that is not safe to send twice (POST or PATCH without an `Idempotency-Key` header) is retried only
    /// after a 429, which the server refused without acting: after a 5xx or a transport failure it may have acted.
    /// True for requests whose repetition does no harm although their method says otherwise (computing embeddings).
    bool retry_unsafe = false;
};

/// A transport failure (refused, reset, timed out, TLS): no answer came.
class TransportError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// 429 (too many requests) and 5xx: answers that another try may get past.
bool IsRetryableStatus(long status);

/// The wait before the next try after `failures` failed ones (1 after the first): "full jitter" (uniform from 0 to
/// min(max_delay, base_delay * 2^(failures-1)), AWS Architecture Blog, "Exponential Backoff And Jitter"); or, when
/// the server said how long in `Retry-After` (seconds; the HTTP-date form is ignored), that, capped at max_delay.
/// `unit` is a random number from [0, 1).
std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int failures, std::string_view retry_after,
                                       double unit);

/// What SendWithRetries calls besides the client; every member may be left empty.
struct RetryHooks {
    std::function<void(std::chrono::milliseconds)> sleep;  ///< default std::this_thread::sleep_for (tests: record)
    std::function<bool(const ClientResponse&)> retryable;  ///< default IsRetryableStatus(status)
    /// Told before each wait: the failed try's number (from 1), the wait, and why ("HTTP 503", the transport error).
    std::function<void(int attempt, std::chrono::milliseconds delay, const std::string& reason)> on_retry;
};

/// Sends `request` through `send` (e.g. an HttpClient's Send) up to policy.max_attempts times, waiting BackoffDelay
/// between tries, while it throws (transport failure: refused, reset, timeout) or answers a retryable status.
/// Returns the first answer that is not retryable, or the last answer when the tries run out; rethrows the last
/// transport exception when the last try failed so.
ClientResponse SendWithRetries(const std::function<ClientResponse(const ClientRequest&)>& send,
                               const ClientRequest& request, const RetryPolicy& policy, const RetryHooks& hooks = {});
ClientResponse SendWithRetries(HttpClient& client, const ClientRequest& request, const RetryPolicy& policy,
                               const RetryHooks& hooks = {});

}  // namespace uxf::http
