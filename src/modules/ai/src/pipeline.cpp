// The generation job: understand, retrieve, produce, check (and have the provider repair), lay out, then save the
// result and capture the credits in one transaction, or record the failure and release them.
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "llm/model_client.hpp"
#include "planner/builder.hpp"
#include "planner/lexicon.hpp"
#include "planner/planner.hpp"
#include "planner/refine.hpp"
#include "planner/text.hpp"
#include "planner/understand.hpp"
#include "resolved.hpp"
#include "store.hpp"
#include "uxf/ai/generation_service.hpp"
#include "uxf/billing/ledger.hpp"
#include "uxf/flows/export.hpp"
#include "uxf/flows/flow_json.hpp"
#include "uxf/flows/flow_service.hpp"
#include "uxf/flows/ops_json.hpp"
#include "uxf/knowledge/knowledge_service.hpp"
#include "uxf/knowledge/language.hpp"
#include "uxf/knowledge/patterns.hpp"
#include "uxf/platform/jobs.hpp"
#include "uxf/platform/json_text.hpp"
#include "uxf/platform/metrics.hpp"

namespace uxf::ai {
namespace {

using flows::FlowDraft;

std::string Language(const std::string& text, const std::string& locale) {
    if (!locale.empty()) return locale;
    auto detected = knowledge::DetectLanguage(text);
    if (detected.reliable && detected.code != "other") return detected.code;
    auto guess = planner::GuessLanguage(text);
    if (!guess.empty()) return std::string(guess);
    return detected.code == "other" ? "en" : detected.code;
}

// The pattern's flow in `locale`, as a provider sees it.
std::string PatternFlowJson(const knowledge::Pattern& p, const std::string& locale) {
    const auto& text = p.Text(locale);
    flows::Flow f;
    f.name = text.name;
    f.description = text.description;
    auto label = [&](const std::string& id) {
        auto it = text.labels.find(id);
        return it == text.labels.end() ? std::string() : it->second;
    };
    for (const auto& n : p.nodes)
        f.nodes.push_back(
            {n.id, flows::ParseNodeType(n.type).value_or(flows::NodeType::kScreen), label(n.id), "{}", {}});
    for (const auto& e : p.edges)
        f.edges.push_back({e.id, e.source, e.target, label(e.id),
                           e.trigger.empty() ? std::nullopt : flows::ParseTrigger(e.trigger),
                           e.condition.empty() ? std::nullopt : std::optional<std::string>(e.condition)});
    return flows::FlowToJson(f);
}

// Sources an answer may cite: the patterns that exist, the excerpts and examples it was given.
void KeepKnownSources(FlowDraft& d, const GenerationInput& in) {
    for (auto& n : d.nodes) {
        auto sources = planner::SourcesOf(n.data);
        if (sources.empty()) continue;
        std::vector<planner::SourceRef> kept;
        for (const auto& s : sources) {
            bool known =
                (s.kind == "pattern" && knowledge::FindPattern(s.id)) ||
                (s.kind == "document" && std::any_of(in.excerpts.begin(), in.excerpts.end(),
                                                     [&](const ExcerptRef& x) {
                                                         return x.document_id == s.id &&
                                                                (s.chunk_id.empty() || s.chunk_id == x.chunk_id);
                                                     })) ||
                (s.kind == "example" && std::any_of(in.examples.begin(), in.examples.end(),
                                                    [&](const ExampleRef& x) { return x.generation_id == s.id; }));
            if (known && std::find(kept.begin(), kept.end(), s) == kept.end()) kept.push_back(s);
        }
        if (kept == sources) continue;
        boost::system::error_code ec;
        auto v = json_text::Parse(n.data, ec);
        if (ec || !v.is_object()) continue;
        auto& o = v.get_object();
        auto rewritten = json_text::Parse(planner::SourcesData(kept), ec);
        if (kept.empty())
            o.erase("sources");
        else
            o["sources"] = rewritten.get_object().at("sources");
        n.data = json_text::Write(v);
    }
}

std::string ErrorKey(const flows::Diagnostic& d) {
    std::string key = d.code;
    for (const auto& id : d.node_ids) key += "|" + id;
    for (const auto& id : d.edge_ids) key += "|" + id;
    return key;
}

// New nodes of a refinement next to a neighbour that has a place; existing nodes keep theirs.
void PlaceNewNodes(FlowDraft& after) {
    std::map<std::string, flows::Position> placed;
    for (const auto& n : after.nodes)
        if (n.position) placed[n.id] = *n.position;
    auto free = [&](flows::Position p) {
        for (;;) {
            bool clash = false;
            for (const auto& [id, q] : placed)
                if (std::abs(q.x - p.x) < 180 && std::abs(q.y - p.y) < 80) clash = true;
            if (!clash) return p;
            p.y += 100;
        }
    };
    double lowest = 0;
    for (const auto& [id, p] : placed) lowest = std::max(lowest, p.y);
    for (bool progress = true; progress;) {
        progress = false;
        for (auto& n : after.nodes) {
            if (n.position) continue;
            for (const auto& e : after.edges) {
                if (e.target == n.id && placed.count(e.source)) {
                    auto p = placed[e.source];
                    n.position = free({p.x + 240, p.y});
                } else if (e.source == n.id && placed.count(e.target)) {
                    auto p = placed[e.target];
                    n.position = free({p.x, p.y + 120});
                }
                if (n.position) break;
            }
            if (n.position) placed[n.id] = *n.position, progress = true;
        }
    }
    for (auto& n : after.nodes)
        if (!n.position) {
            lowest += 120;
            n.position = free({20, lowest});
            placed[n.id] = *n.position;
        }
}

}  // namespace

// One generation's work from the provider's first answer to a checked, laid-out result.
struct GenerationService::Pipeline {
    Pipeline(GenerationService& service, Provider& p, std::string m) : s(service), provider(p), model(std::move(m)) {}
    GenerationService& s;
    Provider& provider;
    GenerationInput input;
    std::optional<FlowDraft> current;  // refinements
    // results
    FlowDraft result;            // the new flow, or the refined one
    std::vector<flows::Op> ops;  // refinements
    std::string summary, answer_json, model;
    Usage usage;
    std::int64_t repairs = 0;
    std::int64_t calls_ok = 0, calls_failed = 0;  // provider requests that answered, that did not
    std::vector<GenerationDiagnostic> diagnostics;
    std::string error_code, error;

    bool Fail(std::string code, std::string message) {
        error_code = std::move(code);
        error = std::move(message);
        return false;
    }

    // Reads and checks an answer; the diagnostics say what is wrong when it is not acceptable.
    bool Check(const std::string& json) {
        diagnostics.clear();
        const auto& limits = s.flows_.settings();
        if (input.task == Task::kCreate) {
            auto draft = flows::ParseFlowDocument(json, limits);
            if (!draft.ok()) {
                diagnostics.push_back({draft.error().slug, draft.error().message});
                for (const auto& f : draft.error().errors)
                    diagnostics.push_back({"invalid_field", f.field + ": " + f.message});
                return false;
            }
            for (const auto& d : flows::Validate(*draft))
                if (d.severity == flows::Severity::kError) diagnostics.push_back({d.code, d.message});
            if (!diagnostics.empty()) return false;
            KeepKnownSources(*draft, input);
            result = std::move(*draft);
            summary = flows::SummarizeCreation(result);
            return true;
        }
        auto parsed = flows::ParseOpsRequest(json, limits, false);
        if (!parsed.ok()) {
            diagnostics.push_back({parsed.error().slug, parsed.error().message});
            for (const auto& f : parsed.error().errors)
                diagnostics.push_back({"invalid_field", f.field + ": " + f.message});
            return false;
        }
        auto after = flows::ApplyOps(*current, parsed->ops, limits);
        if (!after.ok()) {
            diagnostics.push_back({after.error().slug, after.error().message});
            for (const auto& f : after.error().errors)
                diagnostics.push_back({"invalid_op", f.field + ": " + f.message});
            return false;
        }
        // Only errors the change brings count: a flow a person left unfinished may be refined still.
        std::set<std::string> before;
        for (const auto& d : flows::Validate(*current)) before.insert(ErrorKey(d));
        for (const auto& d : flows::Validate(*after))
            if (d.severity == flows::Severity::kError && !before.count(ErrorKey(d)))
                diagnostics.push_back({d.code, d.message});
        if (!diagnostics.empty()) return false;
        KeepKnownSources(*after, input);
        result = std::move(*after);  // the ops are derived once new nodes have their places (Produce)
        boost::system::error_code ec;
        auto v = json_text::Parse(json, ec);
        if (!ec && v.is_object())
            if (const auto* sum = v.get_object().if_contains("summary"); sum && sum->is_string())
                summary = std::string(sum->get_string()).substr(0, 500);
        if (summary.empty()) summary = flows::SummarizeChange(*current, result);
        return true;
    }

    bool Produce(const std::function<void(int, const char*)>& progress) {
        // A malformed answer (prose, truncated JSON) is mended like an invalid flow: the provider is told why.
        auto ask = [&](bool repair) -> std::optional<ProviderAnswer> {
            try {
                std::vector<std::string> lines;
                for (const auto& d : diagnostics) lines.push_back(d.code + ": " + d.message);
                auto a = repair ? provider.Repair(input, answer_json, lines) : provider.Produce(input);
                ++calls_ok;
                return a;
            } catch (const ProviderError& e) {
                ++calls_failed;
                if (e.kind() != ProviderError::Kind::kMalformed) throw;
                diagnostics = {{std::string(e.code()), e.what()}};
                return std::nullopt;
            }
        };
        try {
            progress(40, "generating");
            auto answer = ask(false);
            progress(70, "validating");
            for (;;) {
                if (answer) {
                    Account(*answer);
                    if (Check(answer->json)) break;
                }
                if (repairs >= s.settings_.max_repairs || provider.name() == "planner")
                    return Fail(
                        answer ? "invalid_output" : "provider_malformed",
                        "the provider's answer is not a valid flow after " + std::to_string(repairs) + " repairs");
                ++repairs;
                answer = ask(true);
            }
        } catch (const ProviderError& e) {
            return Fail(std::string(e.code()), e.what());
        }
        progress(85, "laying out");
        if (input.task == Task::kCreate) {
            flows::AutoLayout(result, "LR", s.graphviz_);
        } else {
            PlaceNewNodes(result);
            ops = planner::OpsBetween(*current, result);
        }
        return true;
    }

    void Account(const ProviderAnswer& a) {
        answer_json = a.json;
        if (!a.model.empty()) model = a.model;
        usage.input_tokens += a.usage.input_tokens;
        usage.output_tokens += a.usage.output_tokens;
        if (s.settings_.log_prompts) spdlog::info("ai: {} answered: {}", provider.name(), a.json);
    }
};

void GenerationService::RegisterJobs(jobs::Runner& runner) {
    runner.Register(
        kJob,
        [this](jobs::Context& ctx) {
            Run(
                ctx.job(), [&](int percent, const char* step) { ctx.Progress(percent, step); },
                [&](const std::function<void(db::Tx&)>& write) { ctx.Finish(write); });
        },
        [this](db::Tx& tx, const jobs::Job& job) { Abandon(tx, job); });
}

void GenerationService::Abandon(db::Tx& tx, const jobs::Job& job) {
    auto internal = store::FindInternal(tx, job.subject_id);
    if (!internal) return;
    store::Outcome o;
    o.status = job.cancel_requested ? GenerationStatus::kCancelled : GenerationStatus::kFailed;
    o.error_code = job.cancel_requested ? "cancelled" : "generation_interrupted";
    // the job's own error may name internals (a database's message): the log has it, the person gets this
    o.error =
        job.cancel_requested ? "cancelled" : "the generation stopped before it finished; its credits were given back";
    if (!job.error.empty()) spdlog::warn("ai: generation {} ended without finishing: {}", job.subject_id, job.error);
    if (store::Settle(tx, job.subject_id, o, clock_.Now()) && !internal->hold_id.empty())
        (void)ledger_.Release(tx, internal->hold_id, "system");
}

void GenerationService::Run(const jobs::Job& job, std::function<void(int, const char*)> progress,
                            const std::function<void(const std::function<void(db::Tx&)>&)>& finish) {
    auto loaded = db_.Write([&](db::Tx& tx) -> std::optional<Generation> {
        auto g = store::Find(tx, job.subject_id);
        if (g && !g->Final())
            tx.Exec(
                "UPDATE ai_generations SET status = 'running', started_at = COALESCE(started_at, :t) WHERE id = "
                ":id AND status IN ('queued', 'running')",
                {clock_.Now(), g->id});
        return g;
    });
    if (!loaded || loaded->Final()) return finish([](db::Tx&) {});
    Generation g = std::move(*loaded);
    g.status = GenerationStatus::kRunning;
    RequestMeta meta;
    meta.request_id = job.correlation_id;
    meta.user_id = g.created_by;
    auto step = [&](int percent, const char* name) {
        progress(percent, name);
        auto e = GenerationEvent(g, "generation.progress", meta.request_id, clock_.Now());
        e.fields.push_back({"step", name});
        e.fields.push_back({"progress", std::to_string(percent)});
        bus_.Publish(e);
    };

    if (settings_.log_prompts) spdlog::info("ai: generation {} ({}) prompt: {}", g.id, g.provider, g.prompt);
    step(10, "understanding");
    Resolved resolved;
    std::unique_ptr<Provider> provider;
    auto r = db_.Read([&](db::Tx& tx) { return Resolve(tx, g.workspace_id, g.provider); });
    std::string setup_error;
    if (r.ok()) {
        resolved = *r;
        try {
            provider = MakeProvider(resolved);
        } catch (const std::exception& e) {
            setup_error = e.what();
        }
    } else {
        setup_error = r.error().message;
    }
    Pipeline p(*this, provider ? *provider : *planner_, g.model);
    p.input.task = g.kind == "create" ? Task::kCreate : Task::kRefine;
    p.input.prompt = g.prompt;
    p.input.locale = Language(g.prompt, g.locale);
    p.input.understanding = planner::Summarize(planner::Understand(g.prompt, p.input.locale));
    bool ok = setup_error.empty() || p.Fail("provider_not_configured", setup_error);
    if (ok) {
        step(25, "retrieving");
        ok = Retrieve(g, meta, p);
    }
    if (ok) ok = p.Produce(step);

    std::vector<events::Event> events;
    bool saved = false;
    finish([&](db::Tx& tx) {
        events.clear();
        saved = false;
        Micros now = clock_.Now();
        auto internal = store::FindInternal(tx, g.id);
        store::Outcome o;
        o.model = p.model;
        o.input_tokens = p.usage.input_tokens;
        o.output_tokens = p.usage.output_tokens;
        o.repairs = p.repairs;
        o.diagnostics = p.diagnostics;
        o.summary = p.summary;
        if (ok) {
            o.status = GenerationStatus::kSucceeded;
            o.credits_charged = g.credits;
            o.result = p.input.task == Task::kCreate ? flows::FlowToJson({"", "", p.result.name, p.result.description,
                                                                          0, p.result.nodes, p.result.edges})
                                                     : "";
            if (p.input.task == Task::kRefine) {
                o.ops_json = flows::OpsToJson(p.ops);
                if (g.mode == "propose") o.preview_json = flows::DiffToJson(flows::Diff(*p.current, p.result));
            }
        } else {
            o.status = GenerationStatus::kFailed;
            o.error_code = p.error_code;
            o.error = p.error;
        }
        if (!store::Settle(tx, g.id, o, now)) return;  // cancelled meanwhile: nothing more to do
        Result<flows::Flow> flow = Error::NotFound("flow");
        if (ok && (p.input.task == Task::kCreate || g.mode == "apply")) {
            if (p.input.task == Task::kCreate) {
                flow = flows_.CreateIn(tx, events, g.workspace_id, p.result, flows::Source::kAi, meta);
            } else {
                for (int attempt = 0; attempt < 5; ++attempt) {
                    flow = flows_.ApplyIn(tx, events, g.flow_id, {*g.base_version, p.ops}, flows::Source::kAi, meta);
                    if (flow.ok() || flow.error().slug != "version_conflict") break;
                }
            }
            if (flow.ok()) {
                tx.Exec("UPDATE ai_generations SET flow_id = :f, version = :v WHERE id = :id",
                        {flow->id, flow->version, g.id});
                g.flow_id = flow->id;
                g.version = flow->version;
            } else {
                ok = false;
                tx.Exec(
                    "UPDATE ai_generations SET status = 'failed', credits_charged = 0, error_code = :c, error = :e "
                    "WHERE id = :id",
                    {flow.error().slug, flow.error().message, g.id});
                p.error = flow.error().message;
            }
        }
        if (!internal->hold_id.empty()) {
            if (ok)
                (void)ledger_.Capture(tx, internal->hold_id);
            else
                (void)ledger_.Release(tx, internal->hold_id, "system");
        }
        if (p.input.task == Task::kRefine)
            store::AddMessage(tx, g.flow_id, g.workspace_id, "assistant", ok ? p.summary : "Failed: " + p.error, g.id,
                              g.created_by, now);
        g.status = ok ? GenerationStatus::kSucceeded : GenerationStatus::kFailed;
        auto e = GenerationEvent(g, ok ? "generation.completed" : "generation.failed", meta.request_id, now);
        if (!ok) e.fields.push_back({"error", p.error});
        events.push_back(std::move(e));
        saved = true;
    });
    for (const auto& e : events) bus_.Publish(e);
    if (metrics_ && saved) {
        metrics::Labels provider_label{{"provider", g.provider}};
        metrics_->Inc("uxflow_generations_total", {{"provider", g.provider}, {"outcome", ok ? "succeeded" : "failed"}});
        metrics_->Observe("uxflow_generation_seconds", provider_label,
                          static_cast<double>(clock_.Now() - g.created_at) / 1e6);
        if (p.calls_ok)
            metrics_->Inc("uxflow_provider_calls_total", {{"provider", g.provider}, {"outcome", "answered"}},
                          static_cast<double>(p.calls_ok));
        if (p.calls_failed)
            metrics_->Inc("uxflow_provider_calls_total", {{"provider", g.provider}, {"outcome", "failed"}},
                          static_cast<double>(p.calls_failed));
        if (p.usage.input_tokens)
            metrics_->Inc("uxflow_provider_tokens_total", {{"provider", g.provider}, {"direction", "input"}},
                          static_cast<double>(p.usage.input_tokens));
        if (p.usage.output_tokens)
            metrics_->Inc("uxflow_provider_tokens_total", {{"provider", g.provider}, {"direction", "output"}},
                          static_cast<double>(p.usage.output_tokens));
    }
}

void GenerationService::SetMetrics(metrics::Registry& registry) {
    using K = metrics::Registry::Kind;
    metrics_ = &registry;
    registry.Describe("uxflow_generations_total", K::kCounter,
                      "Generations that ended, by provider and outcome (succeeded, failed, cancelled).");
    registry.Describe("uxflow_generation_seconds", K::kHistogram,
                      "From a generation's request to its saved result or failure, by provider.",
                      {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120});
    registry.Describe("uxflow_provider_calls_total", K::kCounter,
                      "Requests to a provider (the planner included) that answered or failed, repairs included.");
    registry.Describe("uxflow_provider_tokens_total", K::kCounter,
                      "Tokens LLM providers reported using, by provider and direction (input, output).");
}

bool GenerationService::Retrieve(const Generation& g, const RequestMeta& meta, Pipeline& p) {
    const std::string& locale = p.input.locale;
    if (auto hits = knowledge_.SearchPatterns(g.prompt, 3, locale); hits.ok())
        for (const auto& h : *hits)
            if (const auto* pattern = knowledge::FindPattern(h.id))
                p.input.patterns.push_back({h.id, h.name, h.description, PatternFlowJson(*pattern, locale), h.score});
    if (g.use_knowledge && settings_.knowledge_excerpts > 0) {
        knowledge::SearchQuery q;
        q.q = g.prompt;
        q.k = settings_.knowledge_excerpts;
        if (auto hits = knowledge_.Search(g.workspace_id, q, meta); hits.ok())
            for (const auto& h : *hits)
                p.input.excerpts.push_back({h.document_id, h.chunk_id, h.title, h.text.substr(0, 2000), h.score});
    }
    db_.Read([&](db::Tx& tx) {
        auto rows = tx.Query(
            "SELECT id, prompt, result FROM ai_generations WHERE workspace_id = :w AND rating = 1 AND kind = 'create' "
            "AND status = 'succeeded' AND result IS NOT NULL ORDER BY rated_at DESC LIMIT 50",
            {g.workspace_id});
        std::vector<std::pair<double, ExampleRef>> scored;
        auto stop = planner::LexiconFor(locale).stop;
        for (const auto& row : rows) {
            double score = planner::Overlap(g.prompt, row.Str(1), stop);
            if (score >= 0.3) scored.push_back({score, {row.Str(0), row.Str(1), row.Str(2)}});
        }
        std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        for (std::size_t i = 0; i < scored.size() && i < 3; ++i) p.input.examples.push_back(scored[i].second);
        return 0;
    });
    if (p.input.task == Task::kRefine) {
        auto flow = flows_.Get(g.flow_id, meta);
        if (!flow.ok()) return p.Fail(flow.error().slug, flow.error().message);
        p.current = FlowDraft{flow->name, flow->description, flow->nodes, flow->edges};
        p.input.current_flow_json = flows::FlowToJson(*flow);
        db_.Read([&](db::Tx& tx) {
            auto rows = tx.Query(
                "SELECT role, text FROM ai_messages WHERE flow_id = :f AND generation_id <> :g ORDER BY "
                "seq DESC LIMIT 10",
                {g.flow_id, g.id});
            for (auto it = rows.rbegin(); it != rows.rend(); ++it) p.input.history.push_back({it->Str(0), it->Str(1)});
            return 0;
        });
    }
    return true;
}

Result<OfflineResult> GenerationService::Generate(const std::string& prompt, const std::string& locale,
                                                  const std::string& provider_name) {
    if (prompt.find_first_not_of(" \t\r\n") == std::string::npos)
        return Error::Invalid("bad prompt", {{"prompt", "must not be empty"}});
    auto r = db_.Read([&](db::Tx& tx) { return Resolve(tx, "", provider_name); });
    if (!r.ok()) return r.error();
    std::unique_ptr<Provider> provider;
    try {
        provider = MakeProvider(*r);
    } catch (const std::exception& e) {
        return Error::Make(ErrorCode::kInvalidInput, "provider_not_configured", e.what());
    }
    Pipeline p(*this, *provider, r->model);
    p.input.prompt = prompt;
    p.input.locale = Language(prompt, locale);
    p.input.understanding = planner::Summarize(planner::Understand(prompt, p.input.locale));
    Generation g;
    g.prompt = prompt;
    g.use_knowledge = false;
    g.kind = "create";
    Retrieve(g, {}, p);
    if (!p.Produce([](int, const char*) {})) return Error::Make(ErrorCode::kUnprocessable, p.error_code, p.error);
    return OfflineResult{std::move(p.result), r->name, p.model, std::move(p.diagnostics)};
}

}  // namespace uxf::ai
