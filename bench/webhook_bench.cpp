// Stripe webhook handling over HTTP: the real server (in this process, on a loopback port) receives signed events
// from several connections at once: credit-pack checkouts (a grant), subscription updates, paid invoices (an
// allowance renewal), and every tenth one a duplicate delivery. Prints the latency distribution of the round trips.
//
//   build/release/bench/webhook_bench [--db URL] [--events N] [--connections C]
//
// Default database: a fresh SQLite file in /tmp; `--db postgres://...` for PostgreSQL (default schema).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "../src/app/app.hpp"
#include "../src/app/config.hpp"
#include "stripe/signature.hpp"
#include "uxf/core/ids.hpp"
#include "uxf/platform/crypto.hpp"
#include "uxf/platform/http_client.hpp"

namespace {

using namespace uxf;

std::string EventBody(const std::string& run, int n, std::int64_t now) {
    std::string ws = fmt::format("ws_{}_{}", run, n % 100);
    int kind = n % 3;
    std::string object;
    if (kind == 0)
        object =
            fmt::format(R"({{"id":"cs_{}_{}","object":"checkout.session","mode":"payment","payment_status":"paid",)"
                        R"("customer":"cus_{}","metadata":{{"workspace_id":"{}","price_key":"credits_1000"}}}})",
                        run, n, n % 100, ws);
    else if (kind == 1)
        object =
            fmt::format(R"({{"id":"sub_{}","object":"subscription","customer":"cus_{}","status":"active",)"
                        R"("cancel_at_period_end":false,"current_period_start":{},"current_period_end":{},)"
                        R"("metadata":{{"workspace_id":"{}"}},"items":{{"data":[{{"price":{{"id":"price_pro"}}}}]}}}})",
                        n % 100, n % 100, now, now + 30 * 86400, ws);
    else
        object =
            fmt::format(R"({{"id":"in_{}_{}","object":"invoice","customer":"cus_{}","subscription":"sub_{}",)"
                        R"("status":"paid","total":1900,"currency":"eur","created":{},)"
                        R"("metadata":{{}},"subscription_details":{{"metadata":{{"workspace_id":"{}"}}}},)"
                        R"("lines":{{"data":[{{"price":{{"id":"price_pro"}},"period":{{"start":{},"end":{}}}}}]}}}})",
                        run, n, n % 100, n % 100, now, ws, now, now + 30 * 86400);
    const char* type = kind == 0   ? "checkout.session.completed"
                       : kind == 1 ? "customer.subscription.updated"
                                   : "invoice.paid";
    return fmt::format(R"({{"id":"evt_{}_{}","object":"event","type":"{}","created":{},"data":{{"object":{}}}}})", run,
                       n, type, now + n, object);
}

}  // namespace

int main(int argc, char** argv) {
    std::string url;
    int events = 3000, connections = 4;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i];
        if (a == "--db") url = argv[i + 1];
        if (a == "--events") events = std::stoi(argv[i + 1]);
        if (a == "--connections") connections = std::stoi(argv[i + 1]);
    }
    auto dir = std::filesystem::temp_directory_path() / NewId("webhook_bench");
    std::filesystem::create_directories(dir);
    app::Config c;
    c.data_dir = dir.string();
    c.log.level = "warn";
    c.gateway.listen = "127.0.0.1:0";
    c.gateway.rate_limit.ip_rps = 0;  // off: one address sends everything here
    c.identity.jwt_secret = std::string(48, 'j');
    c.identity.secret_key = crypto::SecretBox::NewKey();
    c.db.url = url.empty() ? "sqlite://" + (dir / "uxflow.db").string() : url;
    c.billing.stripe_secret_key = "sk_test_bench";
    c.billing.stripe_webhook_secrets = {"whsec_bench"};
    c.billing.pro_price_id = "price_pro";
    c.billing.credits_1000_price_id = "price_c1000";
    app::App server(c);
    server.Start();
    std::string endpoint = fmt::format("http://127.0.0.1:{}/v1/billing/stripe/webhook", server.port());

    std::int64_t now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    std::string run = NewId("run");  // ids new to the database, also when it is reused
    std::vector<std::string> bodies;
    for (int n = 0; n < events; ++n) bodies.push_back(EventBody(run, n % 10 == 9 ? n - 1 : n, now));  // 10% duplicates
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(connections));
    std::atomic<int> next = 0, failed = 0;
    auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < connections; ++t)
        pool.emplace_back([&, t] {
            http::HttpClient client;
            for (int i = next++; i < events; i = next++) {
                const std::string& body = bodies[static_cast<std::size_t>(i)];
                std::string sig =
                    fmt::format("t={},v1={}", now, billing::stripe::SignPayload("whsec_bench", now, body));
                auto begin = std::chrono::steady_clock::now();
                auto r = client.Send(
                    {"POST", endpoint, {{"Stripe-Signature", sig}, {"Content-Type", "application/json"}}, body, 15000});
                latencies[static_cast<std::size_t>(t)].push_back(
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin).count());
                if (r.status != 200) ++failed;
            }
        });
    for (auto& t : pool) t.join();
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::vector<double> all;
    for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    auto at = [&](double q) { return all[std::min(all.size() - 1, static_cast<std::size_t>(q * all.size()))]; };
    std::printf(
        "%s, %d events (10%% duplicates), %d connections: %.0f events/s, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, "
        "max %.2f ms, %d not 200\n",
        url.empty() ? "SQLite" : "PostgreSQL", events, connections, events / elapsed, at(0.5), at(0.9), at(0.99),
        all.back(), failed.load());
    server.Stop();
    std::filesystem::remove_all(dir);
    return failed ? 1 : 0;
}
