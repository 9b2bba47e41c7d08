#include "uxf/flows/flow_service.hpp"

#include <algorithm>
#include <iterator>
#include <list>
#include <mutex>
#include <unordered_map>

#include <fmt/format.h>

#include "graph_codec.hpp"
#include "uxf/core/ids.hpp"
#include "uxf/core/strings.hpp"
#include "uxf/flows/flow_json.hpp"
#include "uxf/flows/import.hpp"
#include "uxf/identity/workspace_service.hpp"
#include "uxf/platform/database.hpp"
#include "uxf/platform/events.hpp"
#include "writes.hpp"

namespace uxf::flows {
namespace {

using identity::Role;

FlowDraft DraftOf(const Flow& f) { return {f.name, f.description, f.nodes, f.edges}; }

// Escapes LIKE wildcards so a search for "50%" finds that text.
std::string LikePattern(const std::string& query) {
    std::string out = "%";
    for (char c : ToLower(query)) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += c;
    }
    return out + "%";
}

// Loads a live flow and checks the caller's role in its workspace; a stranger gets the same 404 as a missing flow.
Result<Flow> LoadAuthorized(db::Database& db, const identity::WorkspaceService& ws, const std::string& flow_id,
                            const RequestMeta& meta, Role need) {
    auto flow = db.Read([&](db::Tx& tx) { return ReadFlow(tx, flow_id); });
    if (!flow) return Error::NotFound("flow");
    auto role = ws.Authorize(meta.user_id, flow->workspace_id, need);
    if (!role.ok()) return role.error().code == ErrorCode::kNotFound ? Error::NotFound("flow") : role.error();
    return std::move(*flow);
}

}  // namespace

// A small LRU of rendered files, bounded in bytes.
struct FlowService::ExportCache {
    explicit ExportCache(std::size_t budget) : budget(budget) {}
    std::optional<ExportFile> Find(const std::string& key) {
        std::lock_guard lock(mu);
        auto it = index.find(key);
        if (it == index.end()) return std::nullopt;
        order.splice(order.begin(), order, it->second);
        return it->second->second;
    }
    void Put(const std::string& key, const ExportFile& file) {
        std::size_t size = file.body.size() + key.size();
        if (size > budget) return;
        std::lock_guard lock(mu);
        if (index.contains(key)) return;
        order.emplace_front(key, file);
        index[key] = order.begin();
        used += size;
        while (used > budget) {
            auto& last = order.back();
            used -= last.second.body.size() + last.first.size();
            index.erase(last.first);
            order.pop_back();
        }
    }
    std::size_t budget, used = 0;
    std::mutex mu;
    std::list<std::pair<std::string, ExportFile>> order;
    std::unordered_map<std::string, std::list<std::pair<std::string, ExportFile>>::iterator> index;
};

FlowService::FlowService(db::Database& db, events::EventBus& bus, const Clock& clock,
                         const identity::WorkspaceService& workspaces, render::Graphviz& graphviz,
                         FlowSettings settings)
    : db_(db),
      bus_(bus),
      clock_(clock),
      workspaces_(workspaces),
      graphviz_(graphviz),
      settings_(settings),
      export_cache_(std::make_shared<ExportCache>(settings.export_cache_bytes)) {}

template <class Step>
auto FlowService::Commit(const RequestMeta& meta, Step step) {
    std::vector<events::Event> events;
    WriteContext w{settings_, meta, clock_.Now(), events};
    auto result = db_.Write([&](db::Tx& tx) {
        events.clear();  // a retried transaction starts over
        return step(tx, w);
    });
    Publish(result.ok(), events);
    return result;
}

Result<Flow> FlowService::Create(const std::string& workspace_id, FlowDraft draft, Source source,
                                 const RequestMeta& meta) {
    if (auto r = workspaces_.Authorize(meta.user_id, workspace_id, Role::kEditor); !r.ok()) return r.error();
    if (auto ok = CheckDraft(draft, settings_); !ok.ok()) return ok.error();
    return Commit(meta, [&](db::Tx& tx, WriteContext& w) { return InsertFlow(tx, workspace_id, draft, source, w); });
}

void FlowService::Publish(bool committed, const std::vector<events::Event>& events) {
    if (committed)
        for (const auto& e : events) bus_.Publish(e);
}

Result<Flow> FlowService::Get(const std::string& flow_id, const RequestMeta& meta) const {
    return LoadAuthorized(db_, workspaces_, flow_id, meta, Role::kViewer);
}

Result<Flow> FlowService::GetVersion(const std::string& flow_id, std::int64_t version, const RequestMeta& meta) const {
    auto current = LoadAuthorized(db_, workspaces_, flow_id, meta, Role::kViewer);
    if (!current.ok()) return current.error();
    auto row = db_.Read([&](db::Tx& tx) {
        return tx.QueryOne(
            "SELECT name, description, graph, created_at, created_by FROM flow_versions WHERE flow_id = :f AND "
            "version = :v",
            {flow_id, version});
    });
    if (!row) return Error::NotFound("version");
    Flow f = *current;
    f.name = row->Str(0);
    f.description = row->Str(1);
    f.nodes.clear();
    f.edges.clear();
    DecodeGraph(row->Str(2), f.nodes, f.edges);
    f.version = version;
    f.updated_at = row->Int(3);
    f.updated_by = row->Str(4);
    return f;
}

Result<Page<FlowSummary>> FlowService::List(const std::string& workspace_id, const std::string& query, int limit,
                                            const std::string& cursor, const RequestMeta& meta) const {
    if (auto r = workspaces_.Authorize(meta.user_id, workspace_id, Role::kViewer); !r.ok()) return r.error();
    limit = ClampLimit(limit);
    auto before = ParseCursor(cursor, true);
    if (!before.ok()) return before.error();
    return db_.Read([&](db::Tx& tx) -> Result<Page<FlowSummary>> {
        auto rows = tx.Query(
            "SELECT id, workspace_id, name, description, version, node_count, edge_count, created_at, updated_at, "
            "created_by, updated_by FROM flows WHERE workspace_id = :w AND deleted_at IS NULL AND name_lower LIKE :q "
            "ESCAPE '\\' AND (created_at < :t OR (created_at = :t2 AND id < :id)) "
            "ORDER BY created_at DESC, id DESC LIMIT :l",
            {workspace_id, LikePattern(query), before->at, before->at, before->id, std::int64_t{limit + 1}});
        return MakePage<FlowSummary>(
            rows, limit,
            [](const db::Row& r) {
                return FlowSummary{r.Str(0), r.Str(1), r.Str(2), r.Str(3), r.Int(4), r.Int(5),
                                   r.Int(6), r.Int(7), r.Int(8), r.Str(9), r.Str(10)};
            },
            [](const FlowSummary& s) { return std::make_pair(s.created_at, s.id); });
    });
}

Result<Flow> FlowService::Replace(const std::string& flow_id, std::int64_t expected_version, FlowDraft draft,
                                  Source source, const RequestMeta& meta) {
    if (auto ok = CheckDraft(draft, settings_); !ok.ok()) return ok.error();
    auto current = LoadAuthorized(db_, workspaces_, flow_id, meta, Role::kEditor);
    if (!current.ok()) return current.error();
    return Commit(meta, [&](db::Tx& tx, WriteContext& w) {
        return ReplaceFlow(tx, flow_id, std::nullopt, expected_version, draft, source, w);
    });
}

Result<void> FlowService::Delete(const std::string& flow_id, const RequestMeta& meta) {
    auto current = LoadAuthorized(db_, workspaces_, flow_id, meta, Role::kEditor);
    if (!current.ok()) return current.error();
    return Commit(meta, [&](db::Tx& tx, WriteContext& w) { return DeleteFlow(tx, flow_id, std::nullopt, w); });
}

Result<Flow> FlowService::Undelete(const std::string& flow_id, const RequestMeta& meta) {
    auto ws = db_.Read([&](db::Tx& tx) {
        return tx.QueryOne("SELECT workspace_id FROM flows WHERE id = :id AND deleted_at IS NOT NULL", {flow_id});
    });
    if (!ws) return Error::NotFound("deleted flow");
    if (auto r = workspaces_.Authorize(meta.user_id, ws->Str(0), Role::kAdmin); !r.ok())
        return r.error().code == ErrorCode::kNotFound ? Error::NotFound("deleted flow") : r.error();
    db_.Write([&](db::Tx& tx) {
        tx.Exec("UPDATE flows SET deleted_at = NULL, deleted_by = NULL WHERE id = :id", {flow_id});
    });
    bus_.Publish({"flow.restored", meta.request_id, ws->Str(0), flow_id, {}, clock_.Now()});
    return Get(flow_id, meta);
}

Result<Page<VersionInfo>> FlowService::Versions(const std::string& flow_id, int limit, const std::string& cursor,
                                                const RequestMeta& meta) const {
    auto current = LoadAuthorized(db_, workspaces_, flow_id, meta, Role::kViewer);
    if (!current.ok()) return current.error();
    limit = ClampLimit(limit);
    auto before = ParseCursor(cursor, true);
    if (!before.ok()) return before.error();
    return db_.Read([&](db::Tx& tx) {
        auto rows = tx.Query(
            "SELECT version, created_at, created_by, source, summary FROM flow_versions WHERE flow_id = :f AND "
            "version < :v ORDER BY version DESC LIMIT :l",
            {flow_id, before->at, std::int64_t{limit + 1}});
        return MakePage<VersionInfo>(
            rows, limit,
            [](const db::Row& r) {
                Source s = Source::kApi;
                for (Source c : {Source::kApi, Source::kAi, Source::kLive, Source::kRestore, Source::kImport})
                    if (SourceName(c) == r.Str(3)) s = c;
                return VersionInfo{r.Int(0), r.Int(1), r.Str(2), s, r.Str(4)};
            },
            [](const VersionInfo& v) { return std::make_pair(v.version, std::string()); });
    });
}

Result<Flow> FlowService::RestoreVersion(const std::string& flow_id, std::int64_t version, const RequestMeta& meta) {
    auto old = GetVersion(flow_id, version, meta);
    if (!old.ok()) return old.error();
    auto current = LoadAuthorized(db_, workspaces_, flow_id, meta, Role::kEditor);
    if (!current.ok()) return current.error();
    return Replace(flow_id, current->version, DraftOf(*old), Source::kRestore, meta);
}

}  // namespace uxf::flows

namespace uxf::flows {

Result<Flow> FlowService::Apply(const std::string& flow_id, const OpsRequest& request, Source source,
                                const RequestMeta& meta) {
    constexpr int kAttempts = 5;  // a concurrent writer between our read and our write makes us rebase again
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        auto current = LoadAuthorized(db_, workspaces_, flow_id, meta, Role::kEditor);
        if (!current.ok()) return current.error();
        if (request.base_version > current->version)
            return Error::Invalid("base_version is ahead of the flow",
                                  {{"base_version", fmt::format("the flow is at version {}", current->version)}});
        if (request.base_version < current->version) {
            auto base = GetVersion(flow_id, request.base_version, meta);
            if (!base.ok()) return base.error();
            auto changed = ChangedIn(Diff(DraftOf(*base), DraftOf(*current)));
            auto touched = TouchedBy(request.ops, DraftOf(*current));
            std::vector<std::string> conflicts;
            std::set_intersection(touched.begin(), touched.end(), changed.begin(), changed.end(),
                                  std::back_inserter(conflicts));
            if (!conflicts.empty()) {
                Error e = Error::Make(ErrorCode::kConflict, "ops_conflict",
                                      fmt::format("the ops touch what changed since version {}; the flow is at version "
                                                  "{}",
                                                  request.base_version, current->version));
                for (const auto& c : conflicts) e.errors.push_back({c, "changed since the base version"});
                return e;
            }
        }
        auto next = ApplyOps(DraftOf(*current), request.ops, settings_);
        if (!next.ok()) return next.error();
        // Already authorized and checked (ApplyOps checks the draft): write directly.
        auto written = Commit(meta, [&](db::Tx& tx, WriteContext& w) {
            return ReplaceFlow(tx, flow_id, std::nullopt, current->version, *next, source, w);
        });
        if (written.ok() || written.error().slug != "version_conflict") return written;
    }
    return Error::Make(ErrorCode::kConflict, "ops_conflict", "the flow is changing too fast; retry");
}

Result<std::vector<FlowService::BatchResult>> FlowService::Batch(const std::string& workspace_id, BatchRequest request,
                                                                 const RequestMeta& meta) {
    if (auto r = workspaces_.Authorize(meta.user_id, workspace_id, Role::kEditor); !r.ok()) return r.error();
    std::vector<BatchResult> results(request.items.size());
    auto reset = [&] {
        for (std::size_t i = 0; i < results.size(); ++i) {
            results[i] = BatchResult{i};
            if (request.items[i].ok()) {
                results[i].kind = request.items[i]->kind;
                results[i].flow_id = request.items[i]->id;
            }
        }
    };
    reset();
    std::vector<events::Event> events;
    WriteContext w{settings_, meta, clock_.Now(), events};
    // One item inside `tx`; its outcome goes to results[i]. True when it succeeded.
    auto run = [&](db::Tx& tx, std::size_t i) {
        BatchResult& out = results[i];
        if (!request.items[i].ok()) {
            out.error = request.items[i].error();
            return false;
        }
        BatchOp& op = request.items[i].value();
        if (op.kind == BatchOp::Kind::kDelete) {
            auto done = DeleteFlow(tx, op.id, workspace_id, w);
            if (!done.ok()) out.error = done.error();
            return done.ok();
        }
        auto flow = op.kind == BatchOp::Kind::kCreate
                        ? InsertFlow(tx, workspace_id, op.draft, Source::kApi, w)
                        : ReplaceFlow(tx, op.id, workspace_id, op.version, op.draft, Source::kApi, w);
        if (!flow.ok()) {
            out.error = flow.error();
            return false;
        }
        out.flow_id = flow->id;
        out.version = flow->version;
        return true;
    };
    if (!request.atomic) {
        for (std::size_t i = 0; i < results.size(); ++i) {
            events.clear();
            bool ok = db_.Write([&](db::Tx& tx) -> Result<void> {
                             if (run(tx, i)) return Ok();
                             return *results[i].error;  // roll back this item only
                         })
                          .ok();
            Publish(ok, events);
        }
        return results;
    }
    std::size_t failed = results.size();
    auto all = db_.Write([&](db::Tx& tx) -> Result<void> {
        events.clear();
        failed = results.size();
        reset();
        for (std::size_t i = 0; i < results.size(); ++i) {
            if (!run(tx, i)) {
                failed = i;
                return *results[i].error;
            }
        }
        return Ok();
    });
    Publish(all.ok(), events);
    if (!all.ok())
        for (auto& r : results)
            if (r.index != failed) {
                r.error = Error::Make(ErrorCode::kConflict, "batch_aborted",
                                      fmt::format("not applied: operation {} failed and the batch is atomic", failed));
                r.version = 0;
                if (r.kind == BatchOp::Kind::kCreate) r.flow_id.clear();
            }
    return results;
}

Result<Flow> FlowService::Import(const std::string& workspace_id, std::string_view format, std::string_view content,
                                 const std::string& name, const RequestMeta& meta) {
    if (auto r = workspaces_.Authorize(meta.user_id, workspace_id, Role::kEditor); !r.ok()) return r.error();
    Result<FlowDraft> draft = Error::Invalid("unknown format", {{"format", "must be one of json, mermaid, drawio"}});
    if (format == "json")
        draft = ParseFlowDocument(content, settings_);
    else if (format == "mermaid")
        draft = ParseMermaid(content, settings_);
    else if (format == "drawio")
        draft = ParseDrawio(content, settings_);
    if (!draft.ok()) return draft.error();
    if (!Trim(name).empty()) draft->name = name;
    return Create(workspace_id, std::move(*draft), Source::kImport, meta);
}

Result<Flow> FlowService::Layout(const std::string& flow_id, std::string_view direction, const RequestMeta& meta) {
    if (direction != "LR" && direction != "TB")
        return Error::Invalid("bad direction", {{"direction", "must be LR (left to right) or TB (top to bottom)"}});
    auto current = LoadAuthorized(db_, workspaces_, flow_id, meta, Role::kEditor);
    if (!current.ok()) return current.error();
    FlowDraft draft = DraftOf(*current);
    if (AutoLayout(draft, direction, graphviz_) == 0) return current;
    return Replace(flow_id, current->version, std::move(draft), Source::kApi, meta);
}

Result<ExportFile> FlowService::Export(const std::string& flow_id, std::string_view format,
                                       const RequestMeta& meta) const {
    auto flow = Get(flow_id, meta);
    if (!flow.ok()) return flow.error();
    // A version never changes, so neither does its export: render once, serve from memory after.
    std::string key = fmt::format("{}/{}/{}", flow_id, flow->version, format);
    if (auto hit = export_cache_->Find(key)) return *hit;
    auto file = ExportFlow(*flow, format, graphviz_);
    if (file.ok()) export_cache_->Put(key, *file);
    return file;
}

Result<std::vector<Diagnostic>> FlowService::ValidateFlow(const std::string& flow_id, const RequestMeta& meta) const {
    auto flow = Get(flow_id, meta);
    if (!flow.ok()) return flow.error();
    return Validate(DraftOf(*flow));
}

Result<Analytics> FlowService::AnalyzeFlow(const std::string& flow_id, const RequestMeta& meta) const {
    auto flow = Get(flow_id, meta);
    if (!flow.ok()) return flow.error();
    return Analyze(DraftOf(*flow));
}

Result<FlowDiff> FlowService::DiffVersions(const std::string& flow_id, std::int64_t from, std::int64_t to,
                                           const RequestMeta& meta) const {
    auto a = GetVersion(flow_id, from, meta);
    if (!a.ok()) return a.error();
    auto b = GetVersion(flow_id, to, meta);
    if (!b.ok()) return b.error();
    return Diff(DraftOf(*a), DraftOf(*b));
}

}  // namespace uxf::flows
