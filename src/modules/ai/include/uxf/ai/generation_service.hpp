// AI generation: a person's words become a new flow, or a change to one (a chat message), through one pipeline for
// every provider: understand, retrieve (patterns, the workspace's documents, earlier generations rated up),
// produce, check (repairing through the provider at most `max_repairs` times), lay out, save as a version with
// source `ai`. A generation is a durable job: its credits are reserved in the transaction that creates it (402
// before any provider call when the balance is short), and captured in the transaction that saves its result, or
// released when it fails or is cancelled; a restart resumes it, and it is charged once at most.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "uxf/ai/settings.hpp"
#include "uxf/core/clock.hpp"
#include "uxf/core/context.hpp"
#include "uxf/core/result.hpp"
#include "uxf/flows/analysis.hpp"
#include "uxf/flows/model.hpp"

namespace uxf::db {
class Database;
class Tx;
}  // namespace uxf::db
namespace uxf::events {
class EventBus;
}
namespace uxf::identity {
class WorkspaceService;
}
namespace uxf::flows {
class FlowService;
}
namespace uxf::knowledge {
class KnowledgeService;
}
namespace uxf::billing {
class Ledger;
}
namespace uxf::render {
class Graphviz;
}
namespace uxf::http {
class HttpClientPool;
}
namespace uxf::metrics {
class Registry;
}
namespace uxf::jobs {
class Runner;
struct JobSettings;
struct Job;
}  // namespace uxf::jobs

namespace uxf::ai {

class Provider;
class CircuitBreaker;

enum class GenerationStatus { kQueued, kRunning, kSucceeded, kFailed, kCancelled };
std::string_view StatusName(GenerationStatus s);

/// A problem the checks found in a provider's output ("dead_end: ..."), or why the generation failed.
struct GenerationDiagnostic {
    std::string code, message;
};

struct Generation {
    std::string id, workspace_id;
    std::string kind;  ///< "create" (a new flow) or "refine" (a chat message: ops on a flow)
    std::string mode;  ///< "apply" (saved as a version) or "propose" (kept for review: apply later)
    GenerationStatus status = GenerationStatus::kQueued;
    std::string prompt, locale, provider, model;
    bool use_knowledge = true;
    std::string flow_id;                          ///< the flow made or changed ("" while a creation runs)
    std::optional<std::int64_t> version;          ///< the version it saved
    std::optional<std::int64_t> base_version;     ///< refinements: the version the ops were made against
    std::optional<std::int64_t> applied_version;  ///< proposals: the version applying them made
    std::int64_t credits = 0;                     ///< what it costs (the quote)
    std::int64_t credits_charged = 0;             ///< what it cost: `credits` once succeeded, else 0
    std::string summary;                          ///< what it did ("added 3 screens ...")
    std::string ops_json;                         ///< refinements: the ops (a JSON array)
    std::string preview_json;                     ///< proposals: the diff the ops make (the flows diff document)
    std::vector<GenerationDiagnostic> diagnostics;
    std::string error_code, error;
    std::int64_t input_tokens = 0, output_tokens = 0, repairs = 0;
    std::optional<int> rating;
    std::string created_by;
    Micros created_at = 0;
    std::optional<Micros> started_at, finished_at;
    bool Final() const { return status >= GenerationStatus::kSucceeded; }
};

struct NewGeneration {
    std::string prompt;
    std::string locale;    ///< "" = the prompt's language
    std::string provider;  ///< "" = the default
    bool use_knowledge = true;
};

struct Quote {
    std::int64_t credits = 0;
    std::string provider, model;
};

/// One message of a flow's conversation, with the generation it started or answered.
struct ConversationItem {
    std::string id, flow_id, role, text, generation_id, created_by;
    Micros created_at = 0;
    std::optional<Generation> generation;
};

struct ProviderInfo {
    std::string name, model;
    bool configured = false, is_default = false, workspace_key = false;
    std::int64_t credits = 0;
};

/// A flow made without storing anything (`uxflow generate`): the same pipeline, laid out.
struct OfflineResult {
    flows::FlowDraft flow;
    std::string provider, model;
    std::vector<GenerationDiagnostic> diagnostics;
};

class GenerationService {
  public:
    static constexpr const char* kJob = "ai.generate";

    GenerationService(db::Database& db, events::EventBus& bus, const Clock& clock,
                      const identity::WorkspaceService& workspaces, flows::FlowService& flows,
                      const knowledge::KnowledgeService& knowledge, billing::Ledger& ledger, render::Graphviz& graphviz,
                      const jobs::JobSettings& job_settings, AiSettings settings);
    ~GenerationService();

    /// What a generation with `provider` costs (editors of the workspace).
    Result<Quote> QuoteFor(const std::string& workspace_id, const std::string& prompt, const std::string& provider,
                           const RequestMeta& meta) const;
    /// Queues the creation of a flow (editors): 402 insufficient_credits before anything else happens.
    Result<Generation> Start(const std::string& workspace_id, const NewGeneration& request, const RequestMeta& meta);
    /// A chat message about a flow: queues a refinement whose result is ops on the flow's current version, applied
    /// (mode "apply") or kept for review ("propose").
    Result<Generation> Send(const std::string& flow_id, const std::string& text, const std::string& mode,
                            const std::string& provider, const RequestMeta& meta);
    /// Members of the workspace.
    Result<Generation> Get(const std::string& id, const RequestMeta& meta) const;
    /// Waits until the generation is final or `timeout` passed, then answers it as it is.
    Result<Generation> Wait(const std::string& id, Micros timeout, const RequestMeta& meta) const;
    /// Cancels a queued or running generation (its creator, or the workspace's admins): released at once.
    /// A final one answers 409 `generation_finished`.
    Result<Generation> Cancel(const std::string& id, const RequestMeta& meta);
    /// Applies a proposal's ops (rebased onto newer edits when they touch nothing that changed; 409 otherwise).
    Result<flows::Flow> Apply(const std::string& id, const RequestMeta& meta);
    /// Stores a rating (-1 or 1) and a comment; rated up, the generation becomes an example for similar prompts.
    Result<void> Feedback(const std::string& id, int rating, const std::string& comment, const RequestMeta& meta);
    /// The flow's conversation, oldest first (members).
    Result<std::vector<ConversationItem>> Conversation(const std::string& flow_id, const RequestMeta& meta) const;

    /// The providers, which are configured (for `workspace_id` too, with its own keys) and which is the default.
    Result<std::vector<ProviderInfo>> Providers(const std::string& workspace_id, const RequestMeta& meta) const;
    /// A workspace's own key for an LLM provider (owners and admins), sealed at rest, never returned.
    Result<void> SetWorkspaceKey(const std::string& workspace_id, const std::string& provider,
                                 const ProviderSettings& key, const RequestMeta& meta);
    Result<void> DeleteWorkspaceKey(const std::string& workspace_id, const std::string& provider,
                                    const RequestMeta& meta);

    /// The pipeline without storage or credits: for the command line.
    Result<OfflineResult> Generate(const std::string& prompt, const std::string& locale, const std::string& provider);

    void RegisterJobs(jobs::Runner& runner);
    void SetJobNotifier(std::function<void()> notify) { notify_ = std::move(notify); }
    /// Counts generations, provider calls and tokens, and times generations (uxflow_generations_total ...).
    void SetMetrics(metrics::Registry& registry);
    const AiSettings& settings() const { return settings_; }

  private:
    struct Pipeline;
    struct Resolved;
    Result<Resolved> Resolve(db::Tx& tx, const std::string& workspace_id, const std::string& provider) const;
    std::string DefaultProvider() const;
    const ProviderSettings* ServerSettings(std::string_view name) const;
    static bool Configured(std::string_view name, const ProviderSettings& s);
    std::unique_ptr<Provider> MakeProvider(const Resolved& r) const;
    Result<Generation> Enqueue(const std::string& workspace_id, const std::string& flow_id, const NewGeneration& req,
                               const std::string& kind, const std::string& mode, const RequestMeta& meta);
    void Run(const jobs::Job& job, std::function<void(int, const char*)> progress,
             const std::function<void(const std::function<void(db::Tx&)>&)>& finish);
    void Abandon(db::Tx& tx, const jobs::Job& job);
    bool Retrieve(const Generation& g, const RequestMeta& meta, Pipeline& p);

    db::Database& db_;
    events::EventBus& bus_;
    const Clock& clock_;
    const identity::WorkspaceService& workspaces_;
    flows::FlowService& flows_;
    const knowledge::KnowledgeService& knowledge_;
    billing::Ledger& ledger_;
    render::Graphviz& graphviz_;
    const jobs::JobSettings& job_settings_;
    AiSettings settings_;
    std::unique_ptr<Provider> planner_;
    std::unique_ptr<http::HttpClientPool> http_;
    mutable std::mutex breakers_mu_;
    mutable std::map<std::string, std::shared_ptr<CircuitBreaker>> breakers_;
    std::function<void()> notify_;
    metrics::Registry* metrics_ = nullptr;
    // ?wait: woken by this process's generation events
    mutable std::mutex wait_mu_;
    mutable std::condition_variable wait_cv_;
    std::uint64_t subscription_ = 0;
};

}  // namespace uxf::ai
