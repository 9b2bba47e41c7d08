// Micro-benchmarks of the per-request costs: token verification, routing, rate limiting, password hashing.
#include <benchmark/benchmark.h>

#include "internal.hpp"
#include "uxf/gateway/rate_limiter.hpp"
#include "uxf/gateway/router.hpp"
#include "uxf/platform/crypto.hpp"

namespace {

using namespace uxf;

void BM_JwtIssue(benchmark::State& state) {
    identity::JwtCodec codec(std::string(48, 'k'), "uxflow", "uxflow-api", 15 * kMinute);
    SystemClock clock;
    for (auto _ : state) benchmark::DoNotOptimize(codec.Issue("usr_1", "ses_1", clock.Now()));
}
BENCHMARK(BM_JwtIssue);

void BM_JwtVerify(benchmark::State& state) {
    identity::JwtCodec codec(std::string(48, 'k'), "uxflow", "uxflow-api", 15 * kMinute);
    SystemClock clock;
    auto token = codec.Issue("usr_1", "ses_1", clock.Now());
    for (auto _ : state) benchmark::DoNotOptimize(codec.Verify(token, clock.Now()));
}
BENCHMARK(BM_JwtVerify);

void BM_RouterFind(benchmark::State& state) {
    gateway::Router r;
    for (const char* p : {"/v1/me", "/v1/workspaces", "/v1/workspaces/{ws}", "/v1/workspaces/{ws}/members",
                          "/v1/workspaces/{ws}/members/{user_id}", "/v1/workspaces/{ws}/audit-log", "/v1/auth/login",
                          "/v1/auth/register", "/v1/auth/refresh", "/v1/auth/sessions/{id}"})
        r.Add("GET", p, {}, [](gateway::Ctx&) { return gateway::Response{}; });
    for (auto _ : state) benchmark::DoNotOptimize(r.Find("GET", "/v1/workspaces/wsp_abc/members/usr_def"));
}
BENCHMARK(BM_RouterFind);

void BM_RateLimiterTake(benchmark::State& state) {
    SystemClock clock;
    gateway::RateLimiter limiter(1e9, 1e9, clock);
    std::string key = "192.0.2.1";
    for (auto _ : state) benchmark::DoNotOptimize(limiter.Take(key));
}
BENCHMARK(BM_RateLimiterTake)->Threads(1)->Threads(2);

void BM_Argon2idOwasp(benchmark::State& state) {
    crypto::PasswordHasher hasher;
    auto phc = hasher.Hash("correct horse battery");
    for (auto _ : state) benchmark::DoNotOptimize(hasher.Verify(phc, "correct horse battery"));
}
BENCHMARK(BM_Argon2idOwasp)->Unit(benchmark::kMillisecond);

void BM_PasswordPolicy(benchmark::State& state) {
    for (auto _ : state)
        benchmark::DoNotOptimize(identity::CheckPassword("correct horse battery", "ada@example.com", "Ada", 12, 128));
}
BENCHMARK(BM_PasswordPolicy);

}  // namespace
