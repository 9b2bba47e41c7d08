#include "writes.hpp"

#include <fmt/format.h>

#include "graph_codec.hpp"
#include "uxf/core/ids.hpp"
#include "uxf/core/strings.hpp"
#include "uxf/flows/flow_service.hpp"

namespace uxf::flows {
namespace {

// A live flow with its current version's stored graph.
constexpr const char* kReadFlow =
    "SELECT f.id, f.workspace_id, f.name, f.description, f.version, v.format, v.graph, v.packed, f.created_at, "
    "f.updated_at, f.created_by, f.updated_by FROM flows f JOIN flow_versions v ON v.flow_id = f.id AND "
    "v.version = f.version WHERE f.id = :id AND f.deleted_at IS NULL";

Error VersionConflict(std::int64_t current) {
    Error e = Error::Make(ErrorCode::kPreconditionFailed, "version_conflict",
                          fmt::format("the flow changed; its current version is {}", current));
    e.errors = {{"version", std::to_string(current)}};
    return e;
}

// The version's graph is stored packed (graph_codec.hpp); `graph` stays empty.
void InsertVersion(db::Tx& tx, const std::string& flow_id, std::int64_t version, const FlowDraft& d, Source source,
                   const std::string& summary, const WriteContext& w) {
    tx.Exec(
        "INSERT INTO flow_versions (flow_id, version, name, description, graph, format, packed, source, summary, "
        "created_at, created_by) VALUES (:f, :v, :n, :d, '', :fmt, :p, :s, :sum, :t, :u)",
        {flow_id, version, d.name, d.description, std::string(kPackedFormat), db::Blob{PackGraph(d.nodes, d.edges)},
         std::string(SourceName(source)), summary, w.now, w.meta.user_id});
}

}  // namespace

std::optional<Flow> ReadFlow(db::Tx& tx, const std::string& flow_id, VersionCache<Graph>* graphs) {
    auto r = tx.QueryOne(kReadFlow, {flow_id});
    if (!r) return std::nullopt;
    Flow f{r->Str(0), r->Str(1), r->Str(2), r->Str(3), r->Int(4), {}, {}, r->Int(8), r->Int(9), r->Str(10), r->Str(11)};
    if (auto hit = graphs ? graphs->Find(VersionKey(f.id, f.version, "graph")) : nullptr) {
        f.nodes = hit->nodes;
        f.edges = hit->edges;
        return f;
    }
    UnpackGraph(r->Str(5), r->Str(6), r->Str(7), f.nodes, f.edges);
    return f;
}

Result<Flow> InsertFlow(db::Tx& tx, const std::string& workspace_id, FlowDraft draft, Source source, WriteContext& w) {
    if (auto ok = CheckDraft(draft, w.settings); !ok.ok()) return ok.error();
    auto count =
        tx.QueryOne("SELECT COUNT(*) FROM flows WHERE workspace_id = :w AND deleted_at IS NULL", {workspace_id})
            ->Int(0);
    if (count >= static_cast<std::int64_t>(w.settings.max_flows_per_workspace)) {
        Error e = Error::Make(ErrorCode::kLimitExceeded, "limit_exceeded",
                              fmt::format("a workspace holds at most {} flows (max_flows_per_workspace)",
                                          w.settings.max_flows_per_workspace));
        e.errors = {{"workspace", "max_flows_per_workspace"}};
        return e;
    }
    if (auto ok = CanonicalData(draft.nodes); !ok.ok()) return ok.error();
    std::string summary = SummarizeCreation(draft);
    Flow flow{NewId("flw"), workspace_id, draft.name,     draft.description, 1, draft.nodes, draft.edges,
              w.now,        w.now,        w.meta.user_id, w.meta.user_id};
    tx.Exec(
        "INSERT INTO flows (id, workspace_id, name, name_lower, description, version, node_count, edge_count, "
        "created_at, created_by, updated_at, updated_by) VALUES (:id, :w, :n, :nl, :d, 1, :nc, :ec, :t, :u, :t2, :u2)",
        {flow.id, workspace_id, flow.name, ToLower(flow.name), flow.description,
         static_cast<std::int64_t>(flow.nodes.size()), static_cast<std::int64_t>(flow.edges.size()), w.now,
         w.meta.user_id, w.now, w.meta.user_id});
    InsertVersion(tx, flow.id, 1, draft, source, summary, w);
    w.events.push_back(
        {"flow.created", w.meta.request_id, workspace_id, flow.id, {{"version", "1"}, {"summary", summary}}, w.now});
    return flow;
}

Result<Flow> ReplaceFlow(db::Tx& tx, const Flow& before, std::optional<std::int64_t> expected_version, FlowDraft draft,
                         Source source, WriteContext& w) {
    std::int64_t expected = expected_version.value_or(before.version);
    if (before.version != expected) return VersionConflict(before.version);
    if (auto ok = CheckDraft(draft, w.settings); !ok.ok()) return ok.error();
    if (auto ok = CanonicalData(draft.nodes); !ok.ok()) return ok.error();
    std::string summary = SummarizeChange({before.name, before.description, before.nodes, before.edges}, draft);
    // Conditional bump: of two writers holding the same version, exactly one succeeds.
    if (tx.Exec("UPDATE flows SET name = :n, name_lower = :nl, description = :d, node_count = :nc, edge_count = :ec, "
                "version = version + 1, updated_at = :t, updated_by = :u WHERE id = :id AND version = :v AND "
                "deleted_at IS NULL",
                {draft.name, ToLower(draft.name), draft.description, static_cast<std::int64_t>(draft.nodes.size()),
                 static_cast<std::int64_t>(draft.edges.size()), w.now, w.meta.user_id, before.id, expected}) == 0)
        return VersionConflict(expected + 1);
    InsertVersion(tx, before.id, expected + 1, draft, source, summary, w);
    w.events.push_back({"flow.updated",
                        w.meta.request_id,
                        before.workspace_id,
                        before.id,
                        {{"version", std::to_string(expected + 1)}, {"summary", summary}},
                        w.now});
    return Flow{before.id,
                before.workspace_id,
                draft.name,
                draft.description,
                expected + 1,
                std::move(draft.nodes),
                std::move(draft.edges),
                before.created_at,
                w.now,
                before.created_by,
                w.meta.user_id};
}

Result<void> DeleteFlow(db::Tx& tx, const Flow& before, WriteContext& w) {
    if (tx.Exec("UPDATE flows SET deleted_at = :t, deleted_by = :u WHERE id = :id AND deleted_at IS NULL",
                {w.now, w.meta.user_id, before.id}) == 0)
        return Error::NotFound("flow");
    w.events.push_back({"flow.deleted", w.meta.request_id, before.workspace_id, before.id, {}, w.now});
    return Ok();
}

std::optional<Flow> ReadVersion(db::Tx& tx, const std::string& flow_id, std::int64_t version) {
    auto r = tx.QueryOne(
        "SELECT f.workspace_id, v.name, v.description, v.format, v.graph, v.packed, f.created_at, v.created_at, "
        "f.created_by, v.created_by FROM flow_versions v JOIN flows f ON f.id = v.flow_id WHERE v.flow_id = :f AND "
        "v.version = :v",
        {flow_id, version});
    if (!r) return std::nullopt;
    Flow f{flow_id, r->Str(0), r->Str(1), r->Str(2), version, {}, {}, r->Int(6), r->Int(7), r->Str(8), r->Str(9)};
    UnpackGraph(r->Str(3), r->Str(4), r->Str(5), f.nodes, f.edges);
    return f;
}

}  // namespace uxf::flows
