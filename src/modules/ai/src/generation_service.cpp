// The generation API: quoting, starting (credits reserved with the job), reading, waiting, cancelling (credits
// released), applying proposals, feedback, the conversation and the providers with workspaces' own keys.
#include "uxf/ai/generation_service.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "llm/circuit_breaker.hpp"
#include "llm/clients.hpp"
#include "llm/llm_provider.hpp"
#include "llm/model_client.hpp"
#include "planner/planner.hpp"
#include "resolved.hpp"
#include "store.hpp"
#include "uxf/billing/ledger.hpp"
#include "uxf/core/ids.hpp"
#include "uxf/core/text.hpp"
#include "uxf/flows/flow_service.hpp"
#include "uxf/flows/ops_json.hpp"
#include "uxf/identity/audit.hpp"
#include "uxf/identity/workspace_service.hpp"
#include "uxf/platform/crypto.hpp"
#include "uxf/platform/events.hpp"
#include "uxf/platform/http_client.hpp"
#include "uxf/platform/jobs.hpp"
#include "uxf/platform/metrics.hpp"
#include "uxf/platform/unit_of_work.hpp"

namespace uxf::ai {

using identity::Role;

std::string_view StatusName(GenerationStatus s) {
    switch (s) {
        case GenerationStatus::kQueued:
            return "queued";
        case GenerationStatus::kRunning:
            return "running";
        case GenerationStatus::kSucceeded:
            return "succeeded";
        case GenerationStatus::kFailed:
            return "failed";
        case GenerationStatus::kCancelled:
            return "cancelled";
    }
    return "queued";
}

namespace {

bool IsLanguage(const std::string& l) { return l.empty() || l == "en" || l == "de" || l == "es" || l == "fr"; }

Error NotFound() { return Error::NotFound("generation"); }

}  // namespace

events::Event GenerationEvent(const Generation& g, std::string name, const std::string& correlation, Micros now) {
    events::Event e{std::move(name), correlation, g.workspace_id, g.id, {}, now};
    e.fields.push_back({"generation_id", g.id});
    e.fields.push_back({"status", std::string(StatusName(g.status))});
    if (!g.flow_id.empty()) e.fields.push_back({"flow_id", g.flow_id});
    if (g.version) e.fields.push_back({"version", std::to_string(*g.version)});
    return e;
}

GenerationService::GenerationService(db::Database& db, events::EventBus& bus, const Clock& clock,
                                     const identity::WorkspaceService& workspaces, flows::FlowService& flows,
                                     const knowledge::KnowledgeService& knowledge, billing::Ledger& ledger,
                                     render::Graphviz& graphviz, const jobs::JobSettings& job_settings,
                                     AiSettings settings)
    : db_(db),
      bus_(bus),
      clock_(clock),
      workspaces_(workspaces),
      flows_(flows),
      knowledge_(knowledge),
      ledger_(ledger),
      graphviz_(graphviz),
      job_settings_(job_settings),
      settings_(std::move(settings)),
      planner_(std::make_unique<planner::PlannerProvider>()),
      http_(std::make_unique<http::HttpClientPool>()) {
    subscription_ = bus_.Subscribe("generation.", [this](const events::Event&) {
        std::lock_guard lock(wait_mu_);
        wait_cv_.notify_all();
    });
}

GenerationService::~GenerationService() { bus_.Unsubscribe(subscription_); }

// ---- providers

std::string GenerationService::DefaultProvider() const {
    if (!settings_.default_provider.empty()) return settings_.default_provider;
    for (const char* name : {"openai", "anthropic", "gemini", "openai-compatible"})
        if (Configured(name, *ServerSettings(name))) return name;
    return "planner";
}

const ProviderSettings* GenerationService::ServerSettings(std::string_view name) const {
    if (name == "openai") return &settings_.openai;
    if (name == "anthropic") return &settings_.anthropic;
    if (name == "gemini") return &settings_.gemini;
    if (name == "openai-compatible") return &settings_.openai_compatible;
    return nullptr;
}

bool GenerationService::Configured(std::string_view name, const ProviderSettings& s) {
    return name == "openai-compatible" ? !s.base_url.empty() && !s.model.empty() : !s.api_key.empty();
}

Result<GenerationService::Resolved> GenerationService::Resolve(db::Tx& tx, const std::string& workspace_id,
                                                               const std::string& requested) const {
    Resolved r;
    r.name = requested.empty() ? DefaultProvider() : requested;
    if (r.name == "planner") {
        r.model = planner_->model();
        r.credits = settings_.planner_credits;
        return r;
    }
    const ProviderSettings* server = ServerSettings(r.name);
    if (!server)
        return Error::Invalid("unknown provider",
                              {{"provider", "must be one of planner, openai, anthropic, gemini, openai-compatible"}});
    r.settings = *server;
    auto rows = tx.Query(
        "SELECT api_key_sealed, model, base_url FROM ai_workspace_providers WHERE workspace_id = :w AND provider = :p",
        {workspace_id, r.name});
    if (!rows.empty() && !settings_.secrets_key.empty()) {
        if (auto key = crypto::SecretBox(settings_.secrets_key).Open(rows.front().Str(0))) {
            r.settings.api_key = *key;
            if (!rows.front().Str(1).empty()) r.settings.model = rows.front().Str(1);
            if (!rows.front().Str(2).empty()) r.settings.base_url = rows.front().Str(2);
            r.workspace_key = true;
        }
    }
    if (!Configured(r.name, r.settings))
        return Error::Make(ErrorCode::kInvalidInput, "provider_not_configured",
                           "the provider " + r.name + " has no key on this server or in this workspace");
    r.model = r.settings.model;
    r.credits = server->credits;
    return r;
}

std::unique_ptr<Provider> GenerationService::MakeProvider(const Resolved& r) const {
    if (r.name == "planner") return std::make_unique<planner::PlannerProvider>();
    std::shared_ptr<CircuitBreaker> breaker;
    {
        // one circuit per provider and key: a workspace's bad key does not open the server's circuit
        std::lock_guard lock(breakers_mu_);
        auto& b = breakers_[r.name + (r.workspace_key ? ":" + r.settings.api_key.substr(0, 8) : "")];
        if (!b) b = std::make_shared<CircuitBreaker>(settings_.breaker_failures, settings_.breaker_cooldown, clock_);
        breaker = b;
    }
    ClientOptions options;
    options.timeout_ms = settings_.timeout_ms;
    options.max_attempts = settings_.max_attempts;
    options.max_output_tokens = settings_.max_output_tokens;
    auto client = MakeModelClient(r.name, r.settings, options, *http_, breaker);
    return std::make_unique<LlmProvider>(r.name, r.model, std::move(client));
}

Result<std::vector<ProviderInfo>> GenerationService::Providers(const std::string& workspace_id,
                                                               const RequestMeta& meta) const {
    return db_.Read([&](db::Tx& tx) -> Result<std::vector<ProviderInfo>> {
        if (!workspace_id.empty())
            if (auto role = workspaces_.Authorize(tx, meta.user_id, workspace_id, Role::kViewer); !role.ok())
                return role.error();
        std::vector<ProviderInfo> out;
        std::string def = DefaultProvider();
        for (const char* name : kProviderNames) {
            ProviderInfo info{name, "", true, def == name, false, settings_.planner_credits};
            if (info.name != "planner") {
                auto r = Resolve(tx, workspace_id, name);
                const ProviderSettings* s = ServerSettings(name);
                info.configured = r.ok();
                info.model = r.ok() ? r->model : s->model;
                info.workspace_key = r.ok() && r->workspace_key;
                info.credits = s->credits;
            } else {
                info.model = planner_->model();
            }
            out.push_back(std::move(info));
        }
        return out;
    });
}

Result<void> GenerationService::SetWorkspaceKey(const std::string& workspace_id, const std::string& provider,
                                                const ProviderSettings& key, const RequestMeta& meta) {
    if (!ServerSettings(provider)) return Error::NotFound("provider");
    if (key.api_key.empty() && provider != "openai-compatible")
        return Error::Invalid("bad key", {{"api_key", "is required"}});
    if (provider == "openai-compatible" && key.base_url.empty())
        return Error::Invalid("bad key", {{"base_url", "is required for openai-compatible"}});
    if (key.api_key.size() > 500 || key.model.size() > 200 || key.base_url.size() > 500)
        return Error::Invalid("bad key", {{"api_key", "is too long"}});
    if (!key.base_url.empty() && !key.base_url.starts_with("https://") && !key.base_url.starts_with("http://"))
        return Error::Invalid("bad key", {{"base_url", "must be an http(s) URL"}});
    if (settings_.secrets_key.empty())
        return Error::Make(ErrorCode::kUnavailable, "secrets_not_configured", "the server cannot store secrets");
    return db::WriteAndPublish(db_, bus_, meta, [&](db::Tx& tx, db::PendingEvents&) -> Result<void> {
        if (auto role = workspaces_.Authorize(tx, meta.user_id, workspace_id, Role::kAdmin); !role.ok())
            return role.error();
        Micros now = clock_.Now();
        tx.Exec(
            "INSERT INTO ai_workspace_providers (workspace_id, provider, api_key_sealed, model, base_url, updated_by, "
            "updated_at) VALUES (:w, :p, :k, :m, :b, :u, :t) ON CONFLICT (workspace_id, provider) DO UPDATE SET "
            "api_key_sealed = :k2, model = :m2, base_url = :b2, updated_by = :u2, updated_at = :t2",
            {workspace_id, provider, crypto::SecretBox(settings_.secrets_key).Seal(key.api_key), key.model,
             key.base_url, meta.user_id, now, crypto::SecretBox(settings_.secrets_key).Seal(key.api_key), key.model,
             key.base_url, meta.user_id, now});
        identity::WriteAudit(
            tx, {"", workspace_id, meta.user_id, meta.user_id, "ai.provider_key_set", "", "", provider}, meta, now);
        return Ok();
    });
}

Result<void> GenerationService::DeleteWorkspaceKey(const std::string& workspace_id, const std::string& provider,
                                                   const RequestMeta& meta) {
    if (!ServerSettings(provider)) return Error::NotFound("provider");
    return db::WriteAndPublish(db_, bus_, meta, [&](db::Tx& tx, db::PendingEvents&) -> Result<void> {
        if (auto role = workspaces_.Authorize(tx, meta.user_id, workspace_id, Role::kAdmin); !role.ok())
            return role.error();
        if (tx.Exec("DELETE FROM ai_workspace_providers WHERE workspace_id = :w AND provider = :p",
                    {workspace_id, provider}) == 0)
            return Error::NotFound("provider key");
        identity::WriteAudit(
            tx, {"", workspace_id, meta.user_id, meta.user_id, "ai.provider_key_deleted", "", "", provider}, meta,
            clock_.Now());
        return Ok();
    });
}

// ---- generations

Result<Quote> GenerationService::QuoteFor(const std::string& workspace_id, const std::string& prompt,
                                          const std::string& provider, const RequestMeta& meta) const {
    if (prompt.size() > settings_.max_prompt_chars)
        return Error::Invalid("bad prompt",
                              {{"prompt", fmt::format("is longer than {} characters", settings_.max_prompt_chars)}});
    return db_.Read([&](db::Tx& tx) -> Result<Quote> {
        if (auto role = workspaces_.Authorize(tx, meta.user_id, workspace_id, Role::kEditor); !role.ok())
            return role.error();
        auto r = Resolve(tx, workspace_id, provider);
        if (!r.ok()) return r.error();
        return Quote{r->credits, r->name, r->model};
    });
}

Result<Generation> GenerationService::Start(const std::string& workspace_id, const NewGeneration& request,
                                            const RequestMeta& meta) {
    return Enqueue(workspace_id, "", request, "create", "apply", meta);
}

Result<Generation> GenerationService::Send(const std::string& flow_id, const std::string& text, const std::string& mode,
                                           const std::string& provider, const RequestMeta& meta) {
    if (mode != "apply" && mode != "propose")
        return Error::Invalid("bad message", {{"mode", "must be apply or propose"}});
    NewGeneration req;
    req.prompt = text;
    req.provider = provider;
    return Enqueue("", flow_id, req, "refine", mode, meta);
}

Result<Generation> GenerationService::Enqueue(const std::string& workspace, const std::string& flow_id,
                                              const NewGeneration& req, const std::string& kind,
                                              const std::string& mode, const RequestMeta& meta) {
    std::vector<FieldError> errors;
    std::string field = kind == "create" ? "prompt" : "text";
    if (req.prompt.find_first_not_of(" \t\r\n") == std::string::npos) errors.push_back({field, "must not be empty"});
    if (req.prompt.size() > settings_.max_prompt_chars)
        errors.push_back({field, fmt::format("is longer than {} characters", settings_.max_prompt_chars)});
    if (auto problem = TextProblem(req.prompt, TextKind::kMultiline)) errors.push_back({field, *problem});
    if (!IsLanguage(req.locale)) errors.push_back({"locale", "must be one of en, de, es, fr"});
    if (!errors.empty()) return Error::Invalid("bad generation", std::move(errors));
    auto result =
        db::WriteAndPublish(db_, bus_, meta, [&](db::Tx& tx, db::PendingEvents& events) -> Result<Generation> {
            Generation g;
            g.workspace_id = workspace;
            if (!flow_id.empty()) {
                auto flow = flows_.GetIn(tx, flow_id, meta, Role::kEditor);
                if (!flow.ok()) return flow.error();
                g.workspace_id = flow->workspace_id;
                g.flow_id = flow_id;
                g.base_version = flow->version;
            } else if (auto role = workspaces_.Authorize(tx, meta.user_id, workspace, Role::kEditor); !role.ok()) {
                return role.error();
            }
            auto provider = Resolve(tx, g.workspace_id, req.provider);
            if (!provider.ok()) return provider.error();
            Micros now = clock_.Now();
            g.id = NewId("gen");
            g.kind = kind;
            g.mode = mode;
            g.prompt = req.prompt;
            g.locale = req.locale;
            g.provider = provider->name;
            g.model = provider->model;
            g.use_knowledge = req.use_knowledge;
            g.credits = provider->credits;
            g.created_by = meta.user_id;
            g.created_at = now;
            std::string hold_id;
            if (g.credits > 0) {
                auto hold = ledger_.Reserve(tx, g.workspace_id, g.credits, "generation:" + g.id, meta.user_id);
                if (!hold.ok()) return hold.error();
                hold_id = hold->id;
            }
            std::string job =
                jobs::Enqueue(tx, {kJob, g.workspace_id, g.id, g.id, meta.request_id, 0, 0}, now, job_settings_);
            store::Insert(tx, g, hold_id, job);
            if (!flow_id.empty())
                store::AddMessage(tx, flow_id, g.workspace_id, "user", g.prompt, g.id, meta.user_id, now);
            events.push_back(GenerationEvent(g, "generation.queued", meta.request_id, now));
            return g;
        });
    if (result.ok() && notify_) notify_();
    return result;
}

Result<Generation> GenerationService::Get(const std::string& id, const RequestMeta& meta) const {
    if (!IsId(id, "gen")) return NotFound();
    return db_.Read([&](db::Tx& tx) -> Result<Generation> {
        auto g = store::Find(tx, id);
        if (!g) return NotFound();
        if (!workspaces_.Authorize(tx, meta.user_id, g->workspace_id, Role::kViewer).ok()) return NotFound();
        return std::move(*g);
    });
}

Result<Generation> GenerationService::Wait(const std::string& id, Micros timeout, const RequestMeta& meta) const {
    Micros deadline = clock_.Now() + timeout;
    for (;;) {
        auto g = Get(id, meta);
        if (!g.ok() || g->Final() || clock_.Now() >= deadline) return g;
        std::unique_lock lock(wait_mu_);
        // events of this process wake it; another process's finish is seen at the next look
        wait_cv_.wait_for(lock, std::chrono::microseconds(std::min<Micros>(deadline - clock_.Now(), 200'000)));
    }
}

Result<Generation> GenerationService::Cancel(const std::string& id, const RequestMeta& meta) {
    if (!IsId(id, "gen")) return NotFound();
    std::string cancelled_provider;
    auto result =
        db::WriteAndPublish(db_, bus_, meta, [&](db::Tx& tx, db::PendingEvents& events) -> Result<Generation> {
            auto g = store::Find(tx, id);
            if (!g) return NotFound();
            auto role = workspaces_.Authorize(tx, meta.user_id, g->workspace_id, Role::kEditor);
            if (!role.ok()) return role.error().code == ErrorCode::kForbidden ? role.error() : NotFound();
            if (g->created_by != meta.user_id && !identity::RoleAtLeast(*role, Role::kAdmin))
                return Error::Make(ErrorCode::kForbidden, "forbidden",
                                   "only its creator or an admin may cancel a generation");
            if (g->Final())
                return Error::Make(ErrorCode::kConflict, "generation_finished",
                                   "the generation is " + std::string(StatusName(g->status)));
            Micros now = clock_.Now();
            store::Outcome o;
            o.status = GenerationStatus::kCancelled;
            o.error_code = "cancelled";
            o.error = "cancelled by a person";
            store::Settle(tx, id, o, now);
            auto internal = store::FindInternal(tx, id);
            if (!internal->hold_id.empty()) {
                auto released = ledger_.Release(tx, internal->hold_id, meta.user_id);
                if (!released.ok()) return released.error();
            }
            jobs::Cancel(tx, internal->job_id, now, events);
            cancelled_provider = g->provider;
            auto after = store::Find(tx, id);
            events.push_back(GenerationEvent(*after, "generation.cancelled", meta.request_id, now));
            return std::move(*after);
        });
    if (result.ok() && metrics_)
        metrics_->Inc("uxflow_generations_total", {{"provider", cancelled_provider}, {"outcome", "cancelled"}});
    return result;
}

Result<flows::Flow> GenerationService::Apply(const std::string& id, const RequestMeta& meta) {
    if (!IsId(id, "gen")) return NotFound();
    for (int attempt = 0;; ++attempt) {
        auto r =
            db::WriteAndPublish(db_, bus_, meta, [&](db::Tx& tx, db::PendingEvents& events) -> Result<flows::Flow> {
                auto g = store::Find(tx, id);
                if (!g || !workspaces_.Authorize(tx, meta.user_id, g->workspace_id, Role::kViewer).ok())
                    return NotFound();
                if (g->mode != "propose" || g->status != GenerationStatus::kSucceeded)
                    return Error::Make(ErrorCode::kConflict, "not_a_proposal",
                                       "only a succeeded generation with mode propose can be applied");
                if (g->applied_version)
                    return Error::Make(ErrorCode::kConflict, "proposal_applied",
                                       fmt::format("the proposal was applied as version {}", *g->applied_version));
                auto ops = flows::ParseOpsRequest("{\"ops\":" + g->ops_json + "}", flows_.settings(), false);
                if (!ops.ok()) return ops.error();
                ops->base_version = g->base_version.value_or(1);
                auto flow = flows_.ApplyIn(tx, events, g->flow_id, *ops, flows::Source::kAi, meta);
                if (!flow.ok()) return flow.error();
                tx.Exec("UPDATE ai_generations SET applied_version = :v WHERE id = :id", {flow->version, id});
                return flow;
            });
        if (r.ok() || r.error().slug != "version_conflict" || attempt == 4) return r;
    }
}

Result<void> GenerationService::Feedback(const std::string& id, int rating, const std::string& comment,
                                         const RequestMeta& meta) {
    if (rating != 1 && rating != -1) return Error::Invalid("bad feedback", {{"rating", "must be 1 or -1"}});
    if (comment.size() > 2000) return Error::Invalid("bad feedback", {{"comment", "is longer than 2000 characters"}});
    if (!IsId(id, "gen")) return NotFound();
    return db::WriteAndPublish(db_, bus_, meta, [&](db::Tx& tx, db::PendingEvents&) -> Result<void> {
        auto g = store::Find(tx, id);
        if (!g || !workspaces_.Authorize(tx, meta.user_id, g->workspace_id, Role::kViewer).ok()) return NotFound();
        if (!g->Final())
            return Error::Make(ErrorCode::kConflict, "generation_running", "rate a generation once it has finished");
        tx.Exec("UPDATE ai_generations SET rating = :r, feedback = :c, rated_at = :t WHERE id = :id",
                {std::int64_t{rating}, comment, clock_.Now(), id});
        return Ok();
    });
}

Result<std::vector<ConversationItem>> GenerationService::Conversation(const std::string& flow_id,
                                                                      const RequestMeta& meta) const {
    return db_.Read([&](db::Tx& tx) -> Result<std::vector<ConversationItem>> {
        auto flow = flows_.GetIn(tx, flow_id, meta, Role::kViewer);
        if (!flow.ok()) return flow.error();
        std::vector<ConversationItem> out;
        for (const auto& row : tx.Query("SELECT id, flow_id, role, text, generation_id, created_by, created_at FROM "
                                        "ai_messages WHERE flow_id = :f ORDER BY seq",
                                        {flow_id})) {
            ConversationItem m{row.Str(0), row.Str(1), row.Str(2), row.Str(3), row.Str(4), row.Str(5), row.Int(6), {}};
            m.generation = store::Find(tx, m.generation_id);
            out.push_back(std::move(m));
        }
        return out;
    });
}

}  // namespace uxf::ai
