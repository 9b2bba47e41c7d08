// AI generation with the offline planner, on the real server in this process (SQLite file in /tmp by default):
//  1. the pipeline alone (understand, retrieve, compose, check, Graphviz layout) for prompts whose flows have 20 to
//     40 nodes: p50/p99 per generation;
//  2. over HTTP, `C` clients each starting generations with `?wait=true` (a durable job each, credits reserved and
//     captured): generations per second and the round trip's p50/p99;
//  3. over HTTP, refinements (`POST /v1/flows/{id}/messages?wait=true`, a rename each, applied as a version).
//
//   build/release/bench/ai_bench [--db URL] [--runs N] [--clients C] [--requests R]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "../src/app/app.hpp"
#include "../src/app/config.hpp"
#include "uxf/ai/generation_service.hpp"
#include "uxf/billing/ledger.hpp"
#include "uxf/core/ids.hpp"
#include "uxf/platform/crypto.hpp"
#include "uxf/platform/http_client.hpp"

namespace {

using namespace uxf;
using Steady = std::chrono::steady_clock;

const char* const kPrompts[] = {
    "Sign-up with email verification, then two-factor setup, then invite teammates, then a three-step onboarding "
    "tour for a SaaS dashboard",
    "Appointment booking for a clinic, then a rating prompt, then a referral program, then contact support",
    "Passwordless magic link login, then KYC identity verification, then payment methods management for a banking "
    "app",
    "Login with two-factor authentication, then shopping cart, then checkout with card or PayPal, then order "
    "tracking; if the card is declined, show an error and let them retry",
    "Registrierung mit E-Mail-Bestätigung, dann Zwei-Faktor-Einrichtung, dann Teammitglieder einladen, dann eine "
    "Onboarding-Tour für eine Projektmanagement-App",
    "Inscription avec vérification de l'e-mail, puis une visite guidée en trois étapes, puis la gestion des moyens "
    "de paiement pour une application bancaire",
};

double Ms(Steady::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

struct Stats {
    std::vector<double> v;
    void Add(double x) { v.push_back(x); }
    double At(double q) {
        std::sort(v.begin(), v.end());
        return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
    }
};

boost::json::value Post(http::HttpClient& client, const std::string& url, const std::string& token,
                        const std::string& body, long* status = nullptr) {
    auto r = client.Send(
        {"POST", url, {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}}, body, 60000});
    if (status) *status = r.status;
    boost::system::error_code ec;
    auto v = boost::json::parse(r.body, ec);
    return ec ? boost::json::value() : v;
}

}  // namespace

int main(int argc, char** argv) {
    std::string url;
    int runs = 200, clients = 8, requests = 400;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i];
        if (a == "--db") url = argv[i + 1];
        if (a == "--runs") runs = std::stoi(argv[i + 1]);
        if (a == "--clients") clients = std::stoi(argv[i + 1]);
        if (a == "--requests") requests = std::stoi(argv[i + 1]);
    }
    auto dir = std::filesystem::temp_directory_path() / NewId("ai_bench");
    std::filesystem::create_directories(dir);
    app::Config c;
    c.data_dir = dir.string();
    c.log.level = "warn";
    c.gateway.listen = "127.0.0.1:0";
    c.gateway.rate_limit.ip_rps = 0;
    c.gateway.rate_limit.user_rps = 0;
    c.gateway.rate_limit.auth_per_hour = 100000;
    c.gateway.rate_limit.auth_burst = 10000;
    c.identity.jwt_secret = std::string(48, 'j');
    c.identity.secret_key = crypto::SecretBox::NewKey();
    c.db.url = url.empty() ? "sqlite://" + (dir / "uxflow.db").string() : url;
    c.jobs.workers = 2;
    c.gateway.workers = 2 * static_cast<std::size_t>(clients);  // every client's ?wait=true may hold a handler
    app::App server(c);
    server.Start();
    std::string base = fmt::format("http://127.0.0.1:{}", server.port());

    // 1. The pipeline alone.
    Stats pipeline;
    std::size_t min_nodes = 1000, max_nodes = 0;
    for (int i = 0; i < runs; ++i)
        for (const char* prompt : kPrompts) {
            auto begin = Steady::now();
            auto r = server.generations().Generate(prompt, "", "planner");
            pipeline.Add(Ms(Steady::now() - begin));
            if (!r.ok()) {
                std::fprintf(stderr, "generation failed: %s\n", r.error().message.c_str());
                return 1;
            }
            min_nodes = std::min(min_nodes, r->flow.nodes.size());
            max_nodes = std::max(max_nodes, r->flow.nodes.size());
        }
    std::printf("pipeline (planner, %zu prompts x %d, %zu-%zu nodes): p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
                std::size(kPrompts), runs, min_nodes, max_nodes, pipeline.At(0.5), pipeline.At(0.99), pipeline.At(1.0));

    // 2. Generations over HTTP, each a durable job.
    http::HttpClient setup;
    std::string run = NewId("b");
    auto reg = Post(setup, base + "/v1/auth/register", "",
                    fmt::format(R"({{"email":"{}@example.com","password":"correct horse battery","name":"B"}})", run));
    std::string token(reg.at("access_token").as_string());
    std::string ws(reg.at("workspace").at("id").as_string());
    (void)server.ledger().Grant(ws, 10'000'000, "purchase", run, "bench");
    Stats round_trips;
    std::atomic<int> next = 0, failed = 0;
    auto start = Steady::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < clients; ++t)
        pool.emplace_back([&] {
            http::HttpClient client;
            std::vector<double> mine;
            for (int i = next++; i < requests; i = next++) {
                std::string body =
                    boost::json::serialize(boost::json::object{{"prompt", kPrompts[i % std::size(kPrompts)]}});
                auto begin = Steady::now();
                long status = 0;
                auto g = Post(client, base + "/v1/workspaces/" + ws + "/generations?wait=true", token, body, &status);
                mine.push_back(Ms(Steady::now() - begin));
                if (status != 200 || g.at("status").as_string() != "succeeded") ++failed;
            }
            static std::mutex mu;
            std::lock_guard lock(mu);
            for (double x : mine) round_trips.Add(x);
        });
    for (auto& t : pool) t.join();
    double seconds = std::chrono::duration<double>(Steady::now() - start).count();
    std::printf(
        "generations over HTTP (%d clients, ?wait=true, %d requests): %.1f generations/s, p50 %.1f ms, p99 %.1f "
        "ms, %d failed\n",
        clients, requests, requests / seconds, round_trips.At(0.5), round_trips.At(0.99), failed.load());

    // 3. Refinements over HTTP: each client renames a node of its own flow back and forth.
    Stats refinements;
    std::atomic<int> refine_failed = 0;
    pool.clear();
    for (int t = 0; t < clients; ++t)
        pool.emplace_back([&, t] {
            http::HttpClient client;
            auto made =
                Post(client, base + "/v1/workspaces/" + ws + "/generations?wait=true", token,
                     boost::json::serialize(boost::json::object{{"prompt", kPrompts[t % std::size(kPrompts)]}}));
            std::string flow(made.at("flow_id").as_string());
            std::vector<double> mine;
            for (int i = 0; i < requests / clients; ++i) {
                std::string text = i == 0  ? "add a \"Done step\" step after the start"
                                   : i % 2 ? "rename \"Done step\" to \"Review step\""
                                           : "rename \"Review step\" to \"Done step\"";
                auto begin = Steady::now();
                long status = 0;
                auto g = Post(client, base + "/v1/flows/" + flow + "/messages?wait=true", token,
                              boost::json::serialize(boost::json::object{{"text", text}}), &status);
                mine.push_back(Ms(Steady::now() - begin));
                if (status != 200 || g.at("status").as_string() != "succeeded") ++refine_failed;
            }
            static std::mutex mu;
            std::lock_guard lock(mu);
            for (double x : mine) refinements.Add(x);
        });
    for (auto& t : pool) t.join();
    std::printf("refinements over HTTP (%d clients, ?wait=true): p50 %.1f ms, p99 %.1f ms, %d failed\n", clients,
                refinements.At(0.5), refinements.At(0.99), refine_failed.load());
    server.Stop();
    std::filesystem::remove_all(dir);
    return failed || refine_failed ? 1 : 0;
}
