#include "uxf/flows/flow_service.hpp"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include "graph_codec.hpp"
#include "uxf/core/ids.hpp"
#include "uxf/core/strings.hpp"
#include "uxf/flows/flow_json.hpp"
#include "uxf/flows/import.hpp"
#include "uxf/identity/workspace_service.hpp"
#include "uxf/platform/database.hpp"
#include "uxf/platform/events.hpp"

namespace uxf::flows {
namespace {

using identity::Role;

constexpr const char* kFlowColumns =
    "id, workspace_id, name, description, version, graph, created_at, updated_at, created_by, updated_by";

Flow FlowFromRow(const db::Row& r) {
    Flow f{r.Str(0), r.Str(1), r.Str(2), r.Str(3), r.Int(4), {}, {}, r.Int(6), r.Int(7), r.Str(8), r.Str(9)};
    DecodeGraph(r.Str(5), f.nodes, f.edges);
    return f;
}

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

Error VersionConflict(std::int64_t current) {
    Error e = Error::Make(ErrorCode::kPreconditionFailed, "version_conflict",
                          fmt::format("the flow changed; its current version is {}", current));
    e.errors = {{"version", std::to_string(current)}};
    return e;
}

// Loads a live flow and checks the caller's role in its workspace; a stranger gets the same 404 as a missing flow.
Result<Flow> LoadAuthorized(db::Database& db, const identity::WorkspaceService& ws, const std::string& flow_id,
                            const RequestMeta& meta, Role need) {
    auto row = db.Read([&](db::Tx& tx) {
        return tx.QueryOne(fmt::format("SELECT {} FROM flows WHERE id = :id AND deleted_at IS NULL", kFlowColumns),
                           {flow_id});
    });
    if (!row) return Error::NotFound("flow");
    auto role = ws.Authorize(meta.user_id, row->Str(1), need);
    if (!role.ok()) return role.error().code == ErrorCode::kNotFound ? Error::NotFound("flow") : role.error();
    return FlowFromRow(*row);
}

}  // namespace

FlowService::FlowService(db::Database& db, events::EventBus& bus, const Clock& clock,
                         const identity::WorkspaceService& workspaces, render::Graphviz& graphviz,
                         FlowSettings settings)
    : db_(db), bus_(bus), clock_(clock), workspaces_(workspaces), graphviz_(graphviz), settings_(settings) {}

Result<Flow> FlowService::Create(const std::string& workspace_id, FlowDraft draft, Source source,
                                 const RequestMeta& meta) {
    if (auto r = workspaces_.Authorize(meta.user_id, workspace_id, Role::kEditor); !r.ok()) return r.error();
    if (auto ok = CheckDraft(draft, settings_); !ok.ok()) return ok.error();
    Micros now = clock_.Now();
    std::string summary = SummarizeCreation(draft);
    Flow flow{NewId("flw"),           workspace_id, draft.name, draft.description, 1,           std::move(draft.nodes),
              std::move(draft.edges), now,          now,        meta.user_id,      meta.user_id};
    std::string graph = EncodeGraph(flow.nodes, flow.edges);
    auto result = db_.Write([&](db::Tx& tx) -> Result<Flow> {
        auto count =
            tx.QueryOne("SELECT COUNT(*) FROM flows WHERE workspace_id = :w AND deleted_at IS NULL", {workspace_id})
                ->Int(0);
        if (count >= static_cast<std::int64_t>(settings_.max_flows_per_workspace)) {
            Error e = Error::Make(ErrorCode::kLimitExceeded, "limit_exceeded",
                                  fmt::format("a workspace holds at most {} flows (max_flows_per_workspace)",
                                              settings_.max_flows_per_workspace));
            e.errors = {{"workspace", "max_flows_per_workspace"}};
            return e;
        }
        tx.Exec(
            "INSERT INTO flows (id, workspace_id, name, name_lower, description, version, graph, node_count, "
            "edge_count, created_at, created_by, updated_at, updated_by) VALUES (:id, :w, :n, :nl, :d, 1, :g, "
            ":nc, :ec, :t, :u, :t2, :u2)",
            {flow.id, workspace_id, flow.name, ToLower(flow.name), flow.description, graph,
             static_cast<std::int64_t>(flow.nodes.size()), static_cast<std::int64_t>(flow.edges.size()), now,
             meta.user_id, now, meta.user_id});
        tx.Exec(
            "INSERT INTO flow_versions (flow_id, version, name, description, graph, source, summary, created_at, "
            "created_by) VALUES (:f, 1, :n, :d, :g, :s, :sum, :t, :u)",
            {flow.id, flow.name, flow.description, graph, std::string(SourceName(source)), summary, now, meta.user_id});
        return flow;
    });
    if (result.ok())
        bus_.Publish(
            {"flow.created", meta.request_id, workspace_id, flow.id, {{"version", "1"}, {"summary", summary}}, now});
    return result;
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
    Micros now = clock_.Now();
    std::string graph = EncodeGraph(draft.nodes, draft.edges);
    std::string summary;
    auto result = db_.Write([&](db::Tx& tx) -> Result<Flow> {
        auto row = tx.QueryOne(fmt::format("SELECT {} FROM flows WHERE id = :id AND deleted_at IS NULL", kFlowColumns),
                               {flow_id});
        if (!row) return Error::NotFound("flow");
        Flow before = FlowFromRow(*row);
        if (before.version != expected_version) return VersionConflict(before.version);
        summary = SummarizeChange(DraftOf(before), draft);
        // Conditional bump: of two writers holding the same version, exactly one succeeds.
        if (tx.Exec("UPDATE flows SET name = :n, name_lower = :nl, description = :d, graph = :g, node_count = :nc, "
                    "edge_count = :ec, version = version + 1, updated_at = :t, updated_by = :u "
                    "WHERE id = :id AND version = :v AND deleted_at IS NULL",
                    {draft.name, ToLower(draft.name), draft.description, graph,
                     static_cast<std::int64_t>(draft.nodes.size()), static_cast<std::int64_t>(draft.edges.size()), now,
                     meta.user_id, flow_id, expected_version}) == 0)
            return VersionConflict(expected_version + 1);
        tx.Exec(
            "INSERT INTO flow_versions (flow_id, version, name, description, graph, source, summary, created_at, "
            "created_by) VALUES (:f, :v, :n, :d, :g, :s, :sum, :t, :u)",
            {flow_id, expected_version + 1, draft.name, draft.description, graph, std::string(SourceName(source)),
             summary, now, meta.user_id});
        return Flow{flow_id,     before.workspace_id, draft.name, draft.description, expected_version + 1, draft.nodes,
                    draft.edges, before.created_at,   now,        before.created_by, meta.user_id};
    });
    if (result.ok())
        bus_.Publish({"flow.updated",
                      meta.request_id,
                      result->workspace_id,
                      flow_id,
                      {{"version", std::to_string(result->version)}, {"summary", summary}},
                      now});
    return result;
}

Result<void> FlowService::Delete(const std::string& flow_id, const RequestMeta& meta) {
    auto current = LoadAuthorized(db_, workspaces_, flow_id, meta, Role::kEditor);
    if (!current.ok()) return current.error();
    Micros now = clock_.Now();
    bool deleted = db_.Write([&](db::Tx& tx) {
        return tx.Exec("UPDATE flows SET deleted_at = :t, deleted_by = :u WHERE id = :id AND deleted_at IS NULL",
                       {now, meta.user_id, flow_id}) == 1;
    });
    if (!deleted) return Error::NotFound("flow");
    bus_.Publish({"flow.deleted", meta.request_id, current->workspace_id, flow_id, {}, now});
    return Ok();
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
        auto written = Replace(flow_id, current->version, std::move(*next), source, meta);
        if (written.ok() || written.error().slug != "version_conflict") return written;
    }
    return Error::Make(ErrorCode::kConflict, "ops_conflict", "the flow is changing too fast; retry");
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

Result<ExportFile> FlowService::Export(const std::string& flow_id, std::string_view format,
                                       const RequestMeta& meta) const {
    auto flow = Get(flow_id, meta);
    if (!flow.ok()) return flow.error();
    return ExportFlow(*flow, format, graphviz_);
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
