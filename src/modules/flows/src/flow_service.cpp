#include "uxf/flows/flow_service.hpp"

#include <algorithm>
#include <iterator>
#include <type_traits>

#include <fmt/format.h>

#include "graph_codec.hpp"
#include "uxf/core/ids.hpp"
#include "uxf/core/strings.hpp"
#include "uxf/flows/flow_json.hpp"
#include "uxf/flows/import.hpp"
#include "uxf/identity/workspace_service.hpp"
#include "uxf/platform/database.hpp"
#include "uxf/platform/events.hpp"
#include "version_cache.hpp"
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

// Reads a live flow in `tx` and checks the caller's role in its workspace there too; a stranger gets the same 404 as
// a missing flow.
Result<Flow> LoadAuthorized(db::Tx& tx, const identity::WorkspaceService& ws, VersionCache<Graph>& graphs,
                            const std::string& flow_id, const RequestMeta& meta, Role need) {
    auto flow = ReadFlow(tx, flow_id, &graphs);
    if (!flow) return Error::NotFound("flow");
    auto role = ws.Authorize(tx, meta.user_id, flow->workspace_id, need);
    if (!role.ok()) return role.error().code == ErrorCode::kNotFound ? Error::NotFound("flow") : role.error();
    return std::move(*flow);
}

// Authorizes `need` in a workspace inside `tx`.
Result<void> Require(db::Tx& tx, const identity::WorkspaceService& ws, const std::string& workspace_id,
                     const RequestMeta& meta, Role need) {
    auto role = ws.Authorize(tx, meta.user_id, workspace_id, need);
    if (!role.ok()) return role.error();
    return Ok();
}

Error VersionNotFound() { return Error::NotFound("version"); }

}  // namespace

FlowService::FlowService(db::Database& db, events::EventBus& bus, const Clock& clock,
                         const identity::WorkspaceService& workspaces, render::Graphviz& graphviz,
                         FlowSettings settings)
    : db_(db),
      bus_(bus),
      clock_(clock),
      workspaces_(workspaces),
      graphviz_(graphviz),
      settings_(settings),
      files_(std::make_shared<VersionCache<ExportFile>>(settings.export_cache_bytes)),
      graphs_(std::make_shared<VersionCache<Graph>>(settings.graph_cache_bytes)) {}

template <class Step>
auto FlowService::Write(const RequestMeta& meta, Step step) {
    auto result = db::WriteAndPublish(db_, bus_, meta, [&](db::Tx& tx, db::PendingEvents& events) {
        WriteContext w{settings_, meta, clock_.Now(), events};
        return step(tx, w);
    });
    // Committed: the next write to this flow starts from this graph without decoding it.
    if constexpr (std::is_same_v<decltype(result), Result<Flow>>)
        if (result.ok())
            graphs_->Put(VersionKey(result->id, result->version, "graph"),
                         std::make_shared<const Graph>(Graph{result->nodes, result->edges}));
    return result;
}

Result<Flow> FlowService::Create(const std::string& workspace_id, FlowDraft draft, Source source,
                                 const RequestMeta& meta) {
    return Write(meta, [&](db::Tx& tx, WriteContext& w) -> Result<Flow> {
        if (auto r = Require(tx, workspaces_, workspace_id, meta, Role::kEditor); !r.ok()) return r.error();
        return InsertFlow(tx, workspace_id, draft, source, w);
    });
}

Result<Flow> FlowService::Get(const std::string& flow_id, const RequestMeta& meta) const {
    return db_.Read(
        [&](db::Tx& tx) { return LoadAuthorized(tx, workspaces_, *graphs_, flow_id, meta, Role::kViewer); });
}

Result<Flow> FlowService::GetVersion(const std::string& flow_id, std::int64_t version, const RequestMeta& meta) const {
    return db_.Read([&](db::Tx& tx) -> Result<Flow> {
        auto current = LoadAuthorized(tx, workspaces_, *graphs_, flow_id, meta, Role::kViewer);
        if (!current.ok()) return current.error();
        if (version == current->version) return current;
        auto old = ReadVersion(tx, flow_id, version);
        if (!old) return VersionNotFound();
        return std::move(*old);
    });
}

Result<FlowService::Document> FlowService::GetDocument(const std::string& flow_id, std::optional<std::int64_t> version,
                                                       const std::function<bool(std::int64_t)>& not_modified,
                                                       const RequestMeta& meta) const {
    // One statement: the flow's current version and the caller's role in its workspace.
    static const std::string kSql =
        fmt::format("SELECT f.version, {} FROM flows f WHERE f.id = :id AND f.deleted_at IS NULL",
                    identity::WorkspaceService::RoleQuery("f.workspace_id", ":u"));
    auto row = db_.ReadOne([&](db::Tx& tx) {
        return tx.QueryOne(kSql, {meta.user_id, flow_id});
    });  // parameters in order of appearance; one statement, no transaction
    if (!row || row->IsNull(1)) return Error::NotFound("flow");
    auto role = identity::ParseRole(row->Str(1));
    if (!role || !identity::RoleAtLeast(*role, Role::kViewer)) return Error::NotFound("flow");
    std::int64_t current = row->Int(0);
    std::int64_t wanted = version.value_or(current);
    if (wanted < 1 || wanted > current) return VersionNotFound();
    if (not_modified && not_modified(wanted)) return Document{wanted, nullptr};
    std::string key = VersionKey(flow_id, wanted, "api");
    if (auto hit = files_->Find(key)) return Document{wanted, std::move(hit)};
    auto flow = db_.Read([&](db::Tx& tx) { return ReadVersion(tx, flow_id, wanted); });
    if (!flow) return VersionNotFound();
    return Document{wanted, DocumentOf(*flow)};
}

std::shared_ptr<const ExportFile> FlowService::DocumentOf(const Flow& flow) const {
    std::string key = VersionKey(flow.id, flow.version, "api");
    if (auto hit = files_->Find(key)) return hit;
    auto file = std::make_shared<const ExportFile>(ExportFile{"application/json", "", FlowToJson(flow)});
    files_->Put(key, file);
    return file;
}

Result<Page<FlowSummary>> FlowService::List(const std::string& workspace_id, const std::string& query, int limit,
                                            const std::string& cursor, const RequestMeta& meta) const {
    limit = ClampLimit(limit);
    auto before = ParseCursor(cursor, true);
    if (!before.ok()) return before.error();
    return db_.Read([&](db::Tx& tx) -> Result<Page<FlowSummary>> {
        if (auto r = Require(tx, workspaces_, workspace_id, meta, Role::kViewer); !r.ok()) return r.error();
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

Result<Flow> FlowService::Replace(const std::string& flow_id, std::optional<std::int64_t> expected_version,
                                  FlowDraft draft, Source source, const RequestMeta& meta) {
    return Write(meta, [&](db::Tx& tx, WriteContext& w) -> Result<Flow> {
        auto current = LoadAuthorized(tx, workspaces_, *graphs_, flow_id, meta, Role::kEditor);
        if (!current.ok()) return current.error();
        return ReplaceFlow(tx, *current, expected_version, draft, source, w);
    });
}

Result<void> FlowService::Delete(const std::string& flow_id, const RequestMeta& meta) {
    return Write(meta, [&](db::Tx& tx, WriteContext& w) -> Result<void> {
        auto current = LoadAuthorized(tx, workspaces_, *graphs_, flow_id, meta, Role::kEditor);
        if (!current.ok()) return current.error();
        return DeleteFlow(tx, *current, w);
    });
}

Result<Flow> FlowService::Undelete(const std::string& flow_id, const RequestMeta& meta) {
    return Write(meta, [&](db::Tx& tx, WriteContext& w) -> Result<Flow> {
        auto ws = tx.QueryOne("SELECT workspace_id FROM flows WHERE id = :id AND deleted_at IS NOT NULL", {flow_id});
        if (!ws) return Error::NotFound("deleted flow");
        if (auto r = Require(tx, workspaces_, ws->Str(0), meta, Role::kAdmin); !r.ok())
            return r.error().code == ErrorCode::kNotFound ? Error::NotFound("deleted flow") : r.error();
        // Conditional: of two concurrent restores one changes the row and publishes; the other finds nothing.
        if (tx.Exec("UPDATE flows SET deleted_at = NULL, deleted_by = NULL WHERE id = :id AND deleted_at IS NOT NULL",
                    {flow_id}) == 0)
            return Error::NotFound("deleted flow");
        w.events.push_back({"flow.restored", meta.request_id, ws->Str(0), flow_id, {}, w.now});
        auto flow = ReadFlow(tx, flow_id, graphs_.get());
        if (!flow) return Error::NotFound("flow");
        return std::move(*flow);
    });
}

Result<Page<VersionInfo>> FlowService::Versions(const std::string& flow_id, int limit, const std::string& cursor,
                                                const RequestMeta& meta) const {
    limit = ClampLimit(limit);
    auto before = ParseCursor(cursor, true);
    if (!before.ok()) return before.error();
    return db_.Read([&](db::Tx& tx) -> Result<Page<VersionInfo>> {
        auto current = LoadAuthorized(tx, workspaces_, *graphs_, flow_id, meta, Role::kViewer);
        if (!current.ok()) return current.error();
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
    return Write(meta, [&](db::Tx& tx, WriteContext& w) -> Result<Flow> {
        auto current = LoadAuthorized(tx, workspaces_, *graphs_, flow_id, meta, Role::kEditor);
        if (!current.ok()) return current.error();
        auto old = version == current->version ? current.value() : ReadVersion(tx, flow_id, version);
        if (!old) return VersionNotFound();
        return ReplaceFlow(tx, *current, current->version, DraftOf(*old), Source::kRestore, w);
    });
}

Result<Flow> FlowService::ApplyStep(db::Tx& tx, WriteContext& w, const std::string& flow_id, const OpsRequest& request,
                                    Source source) {
    auto current = LoadAuthorized(tx, workspaces_, *graphs_, flow_id, w.meta, Role::kEditor);
    if (!current.ok()) return current.error();
    if (request.base_version > current->version)
        return Error::Invalid("base_version is ahead of the flow",
                              {{"base_version", fmt::format("the flow is at version {}", current->version)}});
    if (request.base_version < current->version) {
        auto base = ReadVersion(tx, flow_id, request.base_version);
        if (!base) return VersionNotFound();
        auto changed = ChangedIn(Diff(DraftOf(*base), DraftOf(*current)));
        auto touched = TouchedBy(request.ops, DraftOf(*current));
        std::vector<std::string> conflicts;
        std::set_intersection(touched.begin(), touched.end(), changed.begin(), changed.end(),
                              std::back_inserter(conflicts));
        if (!conflicts.empty()) {
            Error e = Error::Make(ErrorCode::kConflict, "ops_conflict",
                                  fmt::format("the ops touch what changed since version {}; the flow is at version {}",
                                              request.base_version, current->version));
            for (const auto& c : conflicts) e.errors.push_back({c, "changed since the base version"});
            return e;
        }
    }
    auto next = ApplyOps(DraftOf(*current), request.ops, settings_);
    if (!next.ok()) return next.error();
    return ReplaceFlow(tx, *current, current->version, std::move(*next), source, w);
}

Result<Flow> FlowService::Apply(const std::string& flow_id, const OpsRequest& request, Source source,
                                const RequestMeta& meta) {
    // On SQLite the write lock is held from the first read, so one attempt decides. On PostgreSQL a writer that
    // commits between our read and our conditional update makes it miss (412): rebase onto the new version.
    constexpr int kAttempts = 5;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        auto written = Write(meta, [&](db::Tx& tx, WriteContext& w) -> Result<Flow> {
            return ApplyStep(tx, w, flow_id, request, source);
        });
        if (written.ok() || written.error().slug != "version_conflict") return written;
    }
    return Error::Make(ErrorCode::kConflict, "ops_conflict", "the flow is changing too fast; retry");
}

Result<Flow> FlowService::CreateIn(db::Tx& tx, db::PendingEvents& events, const std::string& workspace_id,
                                   FlowDraft draft, Source source, const RequestMeta& meta) {
    WriteContext w{settings_, meta, clock_.Now(), events};
    if (auto r = Require(tx, workspaces_, workspace_id, meta, Role::kEditor); !r.ok()) return r.error();
    return InsertFlow(tx, workspace_id, std::move(draft), source, w);
}

Result<Flow> FlowService::ApplyIn(db::Tx& tx, db::PendingEvents& events, const std::string& flow_id,
                                  const OpsRequest& request, Source source, const RequestMeta& meta) {
    WriteContext w{settings_, meta, clock_.Now(), events};
    return ApplyStep(tx, w, flow_id, request, source);
}

Result<Flow> FlowService::GetIn(db::Tx& tx, const std::string& flow_id, const RequestMeta& meta,
                                identity::Role need) const {
    return LoadAuthorized(tx, workspaces_, *graphs_, flow_id, meta, need);
}

Result<std::vector<FlowService::BatchResult>> FlowService::Batch(const std::string& workspace_id, BatchRequest request,
                                                                 const RequestMeta& meta) {
    std::vector<BatchResult> results(request.items.size());
    std::size_t failed = results.size();
    // One transaction either way. Atomic: the first failure rolls everything back. Otherwise each item runs under
    // a savepoint, so a failed item leaves no trace and the others commit together.
    auto all = Write(meta, [&](db::Tx& tx, WriteContext& w) -> Result<std::vector<BatchResult>> {
        failed = results.size();
        for (std::size_t i = 0; i < results.size(); ++i) {
            results[i] = BatchResult{i};
            if (request.items[i].ok()) {
                results[i].kind = request.items[i]->kind;
                results[i].flow_id = request.items[i]->id;
            }
        }
        if (auto r = Require(tx, workspaces_, workspace_id, meta, Role::kEditor); !r.ok()) return r.error();
        for (std::size_t i = 0; i < results.size(); ++i) {
            BatchResult& out = results[i];
            if (!request.items[i].ok()) {
                out.error = request.items[i].error();
            } else {
                if (!request.atomic) tx.Exec("SAVEPOINT batch_item");
                std::size_t events_before = w.events.size();
                out.error = RunBatchItem(tx, workspace_id, request.items[i].value(), out, w);
                if (!request.atomic) {
                    tx.Exec(out.error ? "ROLLBACK TO SAVEPOINT batch_item" : "RELEASE SAVEPOINT batch_item");
                    if (out.error) w.events.resize(events_before);
                }
            }
            if (out.error && request.atomic) {
                failed = i;
                return *out.error;
            }
        }
        return results;
    });
    if (!all.ok() && failed == results.size()) return all.error();  // not an item's failure: authorization
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

std::optional<Error> FlowService::RunBatchItem(db::Tx& tx, const std::string& workspace_id, BatchOp& op,
                                               BatchResult& out, WriteContext& w) {
    Result<Flow> flow = Error::NotFound("flow");
    if (op.kind == BatchOp::Kind::kCreate) {
        flow = InsertFlow(tx, workspace_id, op.draft, Source::kApi, w);
    } else {
        auto before = ReadFlow(tx, op.id, graphs_.get());
        if (!before || before->workspace_id != workspace_id) return Error::NotFound("flow");
        if (op.kind == BatchOp::Kind::kDelete) {
            auto done = DeleteFlow(tx, *before, w);
            return done.ok() ? std::nullopt : std::optional<Error>(done.error());
        }
        flow = ReplaceFlow(tx, *before, op.version, op.draft, Source::kApi, w);
    }
    if (!flow.ok()) return flow.error();
    out.flow_id = flow->id;
    out.version = flow->version;
    return std::nullopt;
}

Result<Flow> FlowService::Import(const std::string& workspace_id, std::string_view format, std::string_view content,
                                 const std::string& name, const RequestMeta& meta) {
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
    // Graphviz runs outside the write transaction (it can take tens of milliseconds and SQLite has one writer); the
    // write then applies only to the version that was laid out (412 if the flow moved on meanwhile).
    auto current =
        db_.Read([&](db::Tx& tx) { return LoadAuthorized(tx, workspaces_, *graphs_, flow_id, meta, Role::kEditor); });
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
    std::string key = VersionKey(flow_id, flow->version, format);
    if (auto hit = files_->Find(key)) return *hit;
    auto file = ExportFlow(*flow, format, graphviz_);
    if (file.ok()) files_->Put(key, std::make_shared<const ExportFile>(*file));
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
    return db_.Read([&](db::Tx& tx) -> Result<FlowDiff> {
        auto current = LoadAuthorized(tx, workspaces_, *graphs_, flow_id, meta, Role::kViewer);
        if (!current.ok()) return current.error();
        auto a = from == current->version ? current.value() : ReadVersion(tx, flow_id, from);
        auto b = to == current->version ? current.value() : ReadVersion(tx, flow_id, to);
        if (!a || !b) return VersionNotFound();
        return Diff(DraftOf(*a), DraftOf(*b));
    });
}

}  // namespace uxf::flows
