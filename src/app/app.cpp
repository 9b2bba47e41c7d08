#include "app.hpp"

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "uxf/ai/generation_service.hpp"
#include "uxf/ai/migrations.hpp"
#include "uxf/billing/billing_service.hpp"
#include "uxf/billing/ledger.hpp"
#include "uxf/billing/migrations.hpp"
#include "uxf/flows/flow_service.hpp"
#include "uxf/flows/migrations.hpp"
#include "uxf/gateway/dispatcher.hpp"
#include "uxf/gateway/routes.hpp"
#include "uxf/gateway/server.hpp"
#include "uxf/identity/auth_service.hpp"
#include "uxf/identity/mail_outbox.hpp"
#include "uxf/identity/migrations.hpp"
#include "uxf/identity/workspace_service.hpp"
#include "uxf/knowledge/embeddings.hpp"
#include "uxf/knowledge/knowledge_service.hpp"
#include "uxf/knowledge/migrations.hpp"
#include "uxf/platform/events.hpp"
#include "uxf/platform/graphviz.hpp"
#include "uxf/platform/idempotency.hpp"
#include "uxf/platform/jobs.hpp"
#include "uxf/platform/metrics.hpp"

namespace uxf::app {
namespace {

std::vector<db::Migration> AllMigrations() {
    auto all = identity::Migrations();
    for (auto& m : flows::Migrations()) all.push_back(std::move(m));
    for (auto& m : knowledge::Migrations()) all.push_back(std::move(m));
    for (auto& m : billing::Migrations()) all.push_back(std::move(m));
    for (auto& m : ai::Migrations()) all.push_back(std::move(m));
    for (auto& m : db::PlatformMigrations()) all.push_back(std::move(m));
    return all;
}

// Stripe sends people back to the server's public address, which identity's settings hold (its mail links too).
billing::BillingSettings BillingSettingsOf(const Config& config) {
    billing::BillingSettings s = config.billing;
    s.public_url = config.identity.public_url;
    return s;
}

// Workspaces' own provider keys are sealed with the key that seals identity's secrets.
ai::AiSettings AiSettingsOf(const Config& config) {
    ai::AiSettings s = config.ai;
    s.secrets_key = config.identity.secret_key;
    return s;
}

}  // namespace

int MigrateDatabase(const Config& config) {
    auto db = db::OpenDatabase(config.db);
    return db::Migrate(*db, AllMigrations());
}

struct App::Impl {
    explicit Impl(Config c)
        : config(std::move(c)),
          db(db::OpenDatabase(config.db)),
          auth((db::Migrate(*db, AllMigrations()), *db), bus, clock, config.identity),
          workspaces(*db, bus, clock),
          outbox(*db, clock),
          flow_service(*db, bus, clock, workspaces, graphviz, config.flows),
          knowledge(*db, bus, clock, workspaces, config.jobs, config.knowledge),
          ledger(*db, clock,
                 {.hold_timeout = config.billing.hold_timeout,
                  .free_monthly_credits = config.billing.free_monthly_credits}),
          billing(*db, clock, ledger, workspaces, BillingSettingsOf(config), metrics),
          generations(*db, bus, clock, workspaces, flow_service, knowledge, ledger, graphviz, config.jobs,
                      AiSettingsOf(config)),
          idempotency_store(*db, clock),
          dispatcher(router, config.gateway, auth, metrics, clock, &idempotency_store),
          server(dispatcher, config.gateway),
          jobs(*db, bus, clock, config.jobs) {
        if (!config.redis_url.empty())
            spdlog::warn(
                "UXFLOW_REDIS_URL is set but not used yet: events stay in this process and rate limits are "
                "per instance");
        using K = metrics::Registry::Kind;
        metrics.Describe("uxflow_login_failures_total", K::kCounter, "Failed sign-in attempts.");
        metrics.Describe("uxflow_lockouts_total", K::kCounter, "Accounts or addresses locked after failures.");
        metrics.Describe("uxflow_mails_sent_total", K::kCounter, "Mails delivered over SMTP.");
        bus.Subscribe("auth.login_failed",
                      [this](const events::Event&) { metrics.Inc("uxflow_login_failures_total"); });
        bus.Subscribe("auth.locked", [this](const events::Event&) { metrics.Inc("uxflow_lockouts_total"); });
        DescribeCredits();
        gateway::AddServiceRoutes(router, {[this] { return db->Ping(); }, metrics});
        gateway::AddIdentityRoutes(router, auth, workspaces);
        gateway::AddFlowRoutes(router, flow_service);
        gateway::AddKnowledgeRoutes(router, knowledge);
        gateway::AddPatternRoutes(router, knowledge);
        gateway::AddBillingRoutes(router, ledger, billing, workspaces);
        // Half the handler threads at most wait for generations; the others keep serving.
        std::size_t handlers = config.gateway.workers ? config.gateway.workers : std::thread::hardware_concurrency();
        gateway::AddAiRoutes(router, generations, std::max<std::size_t>(1, handlers / 2));
        knowledge.RegisterJobs(jobs);
        knowledge.SetJobNotifier([this] { jobs.Notify(); });
        generations.RegisterJobs(jobs);
        generations.SetJobNotifier([this] { jobs.Notify(); });
        generations.SetMetrics(metrics);
    }

    // The ledger's totals, read from the database at a scrape (at most once a second for the five series).
    void DescribeCredits() {
        using K = metrics::Registry::Kind;
        auto total = [this](std::int64_t billing::LedgerTotals::*field) {
            return [this, field] {
                std::lock_guard lock(totals_mu);
                if (clock.Now() - totals_at > kSecond) {
                    totals = ledger.Totals();
                    totals_at = clock.Now();
                }
                return static_cast<double>(totals.*field);
            };
        };
        const std::pair<const char*, std::int64_t billing::LedgerTotals::*> kSeries[] = {
            {"reserved", &billing::LedgerTotals::reserved},
            {"captured", &billing::LedgerTotals::captured},
            {"released", &billing::LedgerTotals::released},
            {"granted", &billing::LedgerTotals::granted},
            {"expired", &billing::LedgerTotals::expired}};
        for (const auto& [name, field] : kSeries) {
            std::string metric = fmt::format("uxflow_credits_{}_total", name);
            metrics.Describe(metric, K::kCounter,
                             fmt::format("Credits {} since the ledger began, all workspaces (the database's total, the "
                                         "same from every instance).",
                                         name));
            metrics.Sample(metric, total(field));
        }
    }

    // Runs `work` every `interval` on the calling thread until the app stops; failures are logged.
    void Every(std::chrono::seconds interval, const char* what, const std::function<void()>& work) {
        std::unique_lock lock(mu);
        while (!stopping) {
            lock.unlock();
            try {
                work();
            } catch (const std::exception& e) {
                spdlog::error("{}: {}", what, e.what());
            }
            lock.lock();
            cv.wait_for(lock, interval, [&] { return stopping; });
        }
    }

    void MailLoop() {
        mail::SmtpSender sender(config.smtp);
        Every(std::chrono::seconds(1), "mail delivery", [&] {
            int sent = outbox.DeliverDue([&](const mail::Message& m) { sender.Send(m); });
            if (sent) metrics.Inc("uxflow_mails_sent_total", {}, sent);
        });
    }

    // Credit holds that no one settled (a process died between reserving and capturing) go back to their
    // workspace after their timeout. Every process sweeps; each hold is released once whoever sweeps.
    void HoldsLoop() {
        Every(std::chrono::seconds(30), "releasing expired credit holds", [&] {
            if (auto n = ledger.ReleaseExpired()) spdlog::info("released {} expired credit hold(s)", n);
        });
    }

    Config config;
    SystemClock clock;
    events::InProcessEventBus bus;
    metrics::Registry metrics;
    std::unique_ptr<db::Database> db;
    identity::AuthService auth;
    identity::WorkspaceService workspaces;
    identity::MailOutbox outbox;
    render::Graphviz graphviz;
    flows::FlowService flow_service;
    knowledge::KnowledgeService knowledge;
    billing::Ledger ledger;
    billing::BillingService billing;
    ai::GenerationService generations;
    gateway::Router router;
    idempotency::Store idempotency_store;
    gateway::Dispatcher dispatcher;
    gateway::Server server;
    jobs::Runner jobs;  ///< the modules register their job kinds before Start
    std::mutex totals_mu;
    billing::LedgerTotals totals;
    Micros totals_at = 0;
    std::thread mailer, holds;
    std::mutex mu;
    std::condition_variable cv;
    bool stopping = false;
};

App::App(Config config) : impl_(std::make_unique<Impl>(std::move(config))) {}

App::~App() {
    Stop();
    Wait();
}

void App::Start() {
    // Serving needs what commands such as `admin unlock` do not: word vectors, the pattern index, the job workers.
    std::string why;
    if (auto embeddings = knowledge::OpenEmbeddings(impl_->config.knowledge, why)) {
        if (embeddings->provider() != "local") {  // the key stays out of the log, and a URL's user:password
            const auto& url = impl_->config.knowledge.embeddings.base_url;
            spdlog::info("search by meaning: {} embeddings, model {}{}", embeddings->provider(), embeddings->model(),
                         url.empty() || url.find('@') != std::string::npos ? std::string() : " at " + url);
        }
        impl_->knowledge.SetEmbeddings(std::move(embeddings));
    } else {
        spdlog::warn(
            "search by meaning is off, knowledge search is by words only: {} (make the file with `uxflow "
            "admin import-vectors`)",
            why);
    }
    impl_->knowledge.IndexPatterns();  // writes only the patterns that changed since the last start
    if (auto n = impl_->knowledge.ScheduleReembedding())
        spdlog::info("re-embedding the chunks of {} workspace(s) with the current embedding model, as jobs", n);
    impl_->server.Start();
    impl_->jobs.Start();
    if (!impl_->config.smtp.url.empty()) impl_->mailer = std::thread([this] { impl_->MailLoop(); });
    impl_->holds = std::thread([this] { impl_->HoldsLoop(); });
}

unsigned short App::port() const { return impl_->server.port(); }
void App::StopOnSignals() { impl_->server.StopOnSignals(); }
void App::Stop() { impl_->server.Stop(); }

void App::Wait() {
    impl_->server.Wait();
    impl_->jobs.Stop();  // running jobs go back to the queue for the next start
    {
        std::lock_guard lock(impl_->mu);
        impl_->stopping = true;
    }
    impl_->cv.notify_all();
    if (impl_->mailer.joinable()) impl_->mailer.join();
    if (impl_->holds.joinable()) impl_->holds.join();
}

identity::AuthService& App::auth() { return impl_->auth; }
billing::Ledger& App::ledger() { return impl_->ledger; }
identity::WorkspaceService& App::workspaces() { return impl_->workspaces; }

ai::GenerationService& App::generations() { return impl_->generations; }

render::Graphviz& App::graphviz() { return impl_->graphviz; }

}  // namespace uxf::app
