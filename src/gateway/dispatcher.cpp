#include "uxf/gateway/dispatcher.hpp"

#include <algorithm>
#include <iterator>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "idempotent_answer.hpp"
#include "json_io.hpp"
#include "uxf/core/failpoint.hpp"
#include "uxf/core/ids.hpp"
#include "uxf/core/log.hpp"
#include "uxf/gateway/errors.hpp"
#include "uxf/identity/auth_service.hpp"
#include "uxf/platform/crypto.hpp"
#include "uxf/platform/idempotency.hpp"
#include "uxf/platform/metrics.hpp"

namespace uxf::gateway {
namespace {

bool ValidRequestId(std::string_view id) {
    if (id.empty() || id.size() > 128) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
               c == '.' || c == ':';
    });
}

std::string ClientIp(const Request& req, bool trust_proxy) {
    if (trust_proxy) {
        auto xff = req.Header("X-Forwarded-For");
        if (!xff.empty()) {
            auto comma = xff.find(',');
            std::string_view first = xff.substr(0, comma);
            while (!first.empty() && first.front() == ' ') first.remove_prefix(1);
            while (!first.empty() && first.back() == ' ') first.remove_suffix(1);
            if (!first.empty() && first.size() <= 45) return std::string(first);
        }
    }
    return req.remote_ip;
}

Error TooMany(const char* what, long long retry_after) {
    Error e = Error::Make(ErrorCode::kRateLimited, "rate_limited", fmt::format("too many requests {}", what));
    e.retry_after_s = retry_after;
    return e;
}

}  // namespace

// The request counter and latency histogram of each (route, method, status) seen, so recording one is a shared-lock
// lookup and three atomic additions, not a label rendering under the registry's lock.
struct Dispatcher::Series {
    struct Handles {
        metrics::Registry::Counter requests;
        metrics::Registry::Histogram latency;
    };
    std::shared_mutex mu;
    std::unordered_map<std::string, Handles> by_key;
};

Response Ctx::Fail(const Error& error) const { return ProblemResponse(error, req.path, meta.request_id); }

Dispatcher::Dispatcher(const Router& router, const GatewaySettings& settings, const identity::AuthService& auth,
                       metrics::Registry& metrics, const Clock& clock, idempotency::Store* idempotency)
    : router_(router),
      settings_(settings),
      auth_(auth),
      metrics_(metrics),
      clock_(clock),
      idempotency_(idempotency),
      ip_limiter_(settings.rate_limit.ip_rps, settings.rate_limit.ip_burst, clock),
      user_limiter_(settings.rate_limit.user_rps, settings.rate_limit.user_burst, clock),
      auth_limiter_(settings.rate_limit.auth_per_hour / 3600.0, settings.rate_limit.auth_burst, clock) {
    using K = metrics::Registry::Kind;
    metrics_.Describe("uxflow_http_requests_total", K::kCounter, "HTTP requests by route, method and status.");
    metrics_.Describe("uxflow_http_request_duration_seconds", K::kHistogram, "HTTP request latency by route.",
                      metrics::Registry::LatencyBuckets());
    metrics_.Describe("uxflow_http_requests_in_flight", K::kGauge, "Requests being handled now.");
    metrics_.Describe("uxflow_rate_limit_rejections_total", K::kCounter, "Requests refused by a rate limit.");
    metrics_.Sample("uxflow_http_requests_in_flight", [this] { return static_cast<double>(in_flight_.load()); });
    series_ = std::make_unique<Series>();
}

Dispatcher::~Dispatcher() { metrics_.Sample("uxflow_http_requests_in_flight", nullptr); }

Router::Match Dispatcher::Match(const Request& request) const { return router_.Find(request.method, request.path); }

Response Dispatcher::Handle(const Request& request, const Router::Match& match) {
    Micros started = clock_.Now();
    ++in_flight_;
    auto id_header = request.Header("X-Request-Id");
    Ctx ctx{request,
            {ValidRequestId(id_header) ? std::string(id_header) : NewCorrelationId("req"),
             ClientIp(request, settings_.trust_proxy), std::string(request.Header("User-Agent")), ""}};
    Response response;
    try {
        response = Run(request, ctx, match);
    } catch (const std::exception& e) {
        spdlog::error("request {} {} {} failed: {}", ctx.meta.request_id, request.method, request.path, e.what());
        response = ctx.Fail(Error::Make(ErrorCode::kInternal, "internal_error",
                                        "the server failed to handle this request; quote the request id"));
    }
    Finish(request, ctx, response, started);
    --in_flight_;
    return response;
}

Response Dispatcher::Refuse(const Request& request, const Error& error) {
    Micros started = clock_.Now();
    Ctx ctx{request,
            {NewCorrelationId("req"), ClientIp(request, settings_.trust_proxy),
             std::string(request.Header("User-Agent")), ""}};
    ctx.route = "refused";
    Response response = ctx.Fail(error);
    Finish(request, ctx, response, started);
    return response;
}

Response Dispatcher::Run(const Request& request, Ctx& ctx, const Router::Match& match) {
    auto origin = request.Header("Origin");
    bool cors_ok = !origin.empty() && std::find(settings_.cors_origins.begin(), settings_.cors_origins.end(), origin) !=
                                          settings_.cors_origins.end();
    if (request.method == "OPTIONS" && !request.Header("Access-Control-Request-Method").empty()) {
        Response pre{204, "", "", {}};
        if (cors_ok) {
            pre.SetHeader("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
            pre.SetHeader("Access-Control-Allow-Headers",
                          "Authorization, Content-Type, If-Match, Idempotency-Key, X-Request-Id");
            pre.SetHeader("Access-Control-Max-Age", "600");
        }
        ctx.route = match.route ? match.route->pattern : "preflight";
        return pre;
    }
    if (!match.route) {
        ctx.route = "unmatched";
        if (!match.allowed.empty()) {
            std::string allow;
            for (const auto& m : match.allowed) allow += (allow.empty() ? "" : ", ") + m;
            Error e = Error::Make(ErrorCode::kMethodNotAllowed, "method_not_allowed",
                                  fmt::format("{} is not allowed here; use {}", request.method, allow));
            Response r = ctx.Fail(e);
            r.SetHeader("Allow", allow);
            return r;
        }
        return ctx.Fail(Error::Make(ErrorCode::kNotFound, "not_found", "no such endpoint"));
    }
    const Route& route = *match.route;
    ctx.route = route.pattern;
    ctx.params = match.params;
    if (auto wait = route.options.probe ? 0 : ip_limiter_.Take(ctx.meta.ip)) {
        metrics_.Inc("uxflow_rate_limit_rejections_total", {{"scope", "ip"}});
        return ctx.Fail(TooMany("from this address", wait));
    }
    if (route.options.auth_limited) {
        if (auto wait = auth_limiter_.Take(ctx.meta.ip)) {
            metrics_.Inc("uxflow_rate_limit_rejections_total", {{"scope", "auth"}});
            return ctx.Fail(TooMany("to sign-in endpoints from this address", wait));
        }
    }
    if (route.options.auth) {
        auto header = request.Header("Authorization");
        std::string token = header.size() > 7 && (header.substr(0, 7) == "Bearer " || header.substr(0, 7) == "bearer ")
                                ? std::string(header.substr(7))
                                : std::string();
        auto claims = token.empty() ? Result<identity::AccessClaims>(Error::Make(
                                          ErrorCode::kUnauthorized, "unauthenticated", "send a Bearer access token"))
                                    : auth_.VerifyAccessToken(token);
        if (!claims.ok()) {
            Response r = ctx.Fail(claims.error());
            r.SetHeader("WWW-Authenticate", token.empty() ? "Bearer" : "Bearer error=\"invalid_token\"");
            return r;
        }
        ctx.meta.user_id = claims->user_id;
        ctx.session_id = claims->session_id;
        if (auto wait = user_limiter_.Take(ctx.meta.user_id)) {
            metrics_.Inc("uxflow_rate_limit_rejections_total", {{"scope", "user"}});
            return ctx.Fail(TooMany("for this user", wait));
        }
    }
    // Bodies are JSON, or one of the raw media types the route declares (uploads).
    if (auto ok = CheckJsonBody(request, route.options.body_types); !ok.ok()) return ctx.Fail(ok.error());
    if (auto key = request.Header("Idempotency-Key"); !key.empty() && route.options.idempotent && idempotency_)
        return RunIdempotent(route, ctx, key);
    return route.handler(ctx);
}

Response Dispatcher::RunIdempotent(const Route& route, Ctx& ctx, std::string_view key_header) {
    using idempotency::Claim;
    if (key_header.size() > 255)
        return ctx.Fail(Error::Invalid("bad Idempotency-Key", {{"Idempotency-Key", "must be at most 255 characters"}}));
    std::string key(key_header);
    std::string scope = ctx.meta.user_id.empty() ? "ip:" + ctx.meta.ip : ctx.meta.user_id;
    std::string fingerprint = crypto::Sha256Hex(ctx.req.method + " " + ctx.req.target + "\n" + ctx.req.body);
    Claim claim = idempotency_->Begin(scope, key, fingerprint);
    switch (claim.outcome) {
        case Claim::Outcome::kReused:
            return ctx.Fail(Error::Make(ErrorCode::kUnprocessable, "idempotency_key_reused",
                                        "this Idempotency-Key was used with another request"));
        case Claim::Outcome::kRunning: {
            Error e = Error::Make(ErrorCode::kConflict, "idempotency_key_in_use",
                                  "a request with this Idempotency-Key is still running");
            e.retry_after_s = 1;
            return ctx.Fail(e);
        }
        case Claim::Outcome::kReplay: {
            Response r{claim.response.status, claim.response.content_type, std::move(claim.response.body), {}};
            std::string_view lines = claim.response.headers;
            while (!lines.empty()) {
                auto nl = lines.find('\n');
                std::string_view line = lines.substr(0, nl);
                lines = nl == std::string_view::npos ? std::string_view{} : lines.substr(nl + 1);
                if (auto colon = line.find(": "); colon != std::string_view::npos)
                    r.SetHeader(std::string(line.substr(0, colon)), std::string(line.substr(colon + 2)));
            }
            r.SetHeader("Idempotency-Replayed", "true");
            return r;
        }
        case Claim::Outcome::kProceed:
            break;
    }
    IdempotentAnswer answer(*idempotency_, scope, key);
    ctx.answer = &answer;
    ctx.meta.idempotency_key = scope + "\n" + key;
    Response r;
    try {
        r = route.handler(ctx);
    } catch (...) {
        ctx.answer = nullptr;
        if (!answer.committed()) idempotency_->Abandon(scope, key);
        throw;
    }
    ctx.answer = nullptr;
    if (answer.committed()) {
        failpoint::Hit("idempotent_reply");  // crash tests: the write and its answer committed, the reply is lost
        return r;                            // stored with the write, in its transaction
    }
    if (r.status >= 500) {
        idempotency_->Abandon(scope, key);  // our failure: let the retry run again
        return r;
    }
    // Nothing was written (a refusal, or a write that found nothing to do): store the answer on its own.
    idempotency_->Finish(scope, key, IdempotentAnswer::ToStored(r));
    return r;
}

void Dispatcher::Finish(const Request& request, const Ctx& ctx, Response& response, Micros started) {
    response.SetHeader("X-Request-Id", ctx.meta.request_id);
    response.SetHeader("X-Content-Type-Options", "nosniff");
    response.SetHeader("Referrer-Policy", "no-referrer");
    response.SetHeader("X-Frame-Options", "DENY");
    response.SetHeader("Cache-Control", std::string(response.Header("Cache-Control")).empty()
                                            ? "no-store"
                                            : std::string(response.Header("Cache-Control")));
    auto origin = request.Header("Origin");
    if (!origin.empty() && std::find(settings_.cors_origins.begin(), settings_.cors_origins.end(), origin) !=
                               settings_.cors_origins.end()) {
        response.SetHeader("Access-Control-Allow-Origin", std::string(origin));
        response.SetHeader("Access-Control-Expose-Headers", "ETag, Retry-After, X-Request-Id, Location");
        response.SetHeader("Vary", "Origin");
    }
    Micros elapsed = clock_.Now() - started;
    Record(request, ctx, response.status, elapsed);
    static auto access = spdlog::get("access");
    if (access && access->should_log(spdlog::level::info)) {
        access->info(
            R"({{"type":"access","method":"{}","route":"{}","path":"{}","status":{},"bytes":{},"us":{},"request_id":"{}","user_id":"{}","ip":"{}"}})",
            request.method, JsonEscape(ctx.route), JsonEscape(request.path), response.status, response.Body().size(),
            elapsed, JsonEscape(ctx.meta.request_id), ctx.meta.user_id, JsonEscape(ctx.meta.ip));
    }
}

void Dispatcher::Record(const Request& request, const Ctx& ctx, int status, Micros elapsed) {
    // A method outside HTTP's own is one label value, so clients cannot grow the series without bound.
    static constexpr std::string_view kMethods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
    std::string_view method = std::find(std::begin(kMethods), std::end(kMethods), request.method) != std::end(kMethods)
                                  ? std::string_view(request.method)
                                  : "OTHER";
    thread_local std::string key;  // reused: no allocation per request once warm
    key.assign(ctx.route).append(1, ' ').append(method).append(1, ' ');
    fmt::format_to(std::back_inserter(key), "{}", status);
    Series& s = *series_;
    {
        std::shared_lock lock(s.mu);
        if (auto it = s.by_key.find(key); it != s.by_key.end()) {
            it->second.requests.Inc();
            it->second.latency.Observe(elapsed / 1e6);
            return;
        }
    }
    Series::Handles h{
        metrics_.CounterOf("uxflow_http_requests_total",
                           {{"route", ctx.route}, {"method", std::string(method)}, {"status", std::to_string(status)}}),
        metrics_.HistogramOf("uxflow_http_request_duration_seconds", {{"route", ctx.route}})};
    h.requests.Inc();
    h.latency.Observe(elapsed / 1e6);
    std::lock_guard lock(s.mu);
    s.by_key.emplace(key, h);
}

}  // namespace uxf::gateway
