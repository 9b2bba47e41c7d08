#pragma once
#include <atomic>
#include <memory>

#include "uxf/core/clock.hpp"
#include "uxf/gateway/rate_limiter.hpp"
#include "uxf/gateway/router.hpp"
#include "uxf/gateway/settings.hpp"

namespace uxf::identity {
class AuthService;
}
namespace uxf::metrics {
class Registry;
}
namespace uxf::idempotency {
class Store;
}

namespace uxf::gateway {

/// Runs a request through the middleware chain and its handler, synchronously, on a worker thread:
/// request id, route match, CORS, rate limits, authentication, handler, error mapping, security headers,
/// metrics and the access log. Knows nothing of sockets.
class Dispatcher {
  public:
    /// `idempotency`: where Idempotency-Key claims live (null: the header is ignored).
    Dispatcher(const Router& router, const GatewaySettings& settings, const identity::AuthService& auth,
               metrics::Registry& metrics, const Clock& clock, idempotency::Store* idempotency = nullptr);
    ~Dispatcher();

    /// The request's route (matched once per request): its options tell the server which pool runs the handler.
    Router::Match Match(const Request& request) const;
    Response Handle(const Request& request) { return Handle(request, Match(request)); }
    Response Handle(const Request& request, const Router::Match& match);
    /// An answer the server gives before dispatch (malformed request, 413, 431, overload, a failed pipeline slot):
    /// through the same finishing step as every other answer (request id, security headers, metrics, access log).
    /// `request` holds what was parsed of it, possibly nothing but the peer's address.
    Response Refuse(const Request& request, const Error& error);

  private:
    Response Run(const Request& request, Ctx& ctx, const Router::Match& match);
    /// Runs the handler under the request's Idempotency-Key: replays, refuses or records.
    Response RunIdempotent(const Route& route, Ctx& ctx, std::string_view key);
    void Finish(const Request& request, const Ctx& ctx, Response& response, Micros started);
    /// Records a request's count and latency.
    void Record(const Request& request, const Ctx& ctx, int status, Micros elapsed);

    const Router& router_;
    GatewaySettings settings_;
    const identity::AuthService& auth_;
    metrics::Registry& metrics_;
    const Clock& clock_;
    idempotency::Store* idempotency_;
    RateLimiter ip_limiter_, user_limiter_, auth_limiter_;
    std::atomic<long> in_flight_{0};
    struct Series;
    std::unique_ptr<Series> series_;  ///< metric handles by route, method and status, created on first use
};

}  // namespace uxf::gateway
