#include "writes.hpp"

#include <fmt/format.h>

#include "graph_codec.hpp"
#include "uxf/core/ids.hpp"
#include "uxf/core/strings.hpp"
#include "uxf/flows/flow_service.hpp"

namespace uxf::flows {
namespace {

constexpr const char* kFlowColumns =
    "id, workspace_id, name, description, version, graph, created_at, updated_at, created_by, updated_by";

Error VersionConflict(std::int64_t current) {
    Error e = Error::Make(ErrorCode::kPreconditionFailed, "version_conflict",
                          fmt::format("the flow changed; its current version is {}", current));
    e.errors = {{"version", std::to_string(current)}};
    return e;
}

void InsertVersion(db::Tx& tx, const std::string& flow_id, std::int64_t version, const FlowDraft& d,
                   const std::string& graph, Source source, const std::string& summary, const WriteContext& w) {
    tx.Exec(
        "INSERT INTO flow_versions (flow_id, version, name, description, graph, source, summary, created_at, "
        "created_by) VALUES (:f, :v, :n, :d, :g, :s, :sum, :t, :u)",
        {flow_id, version, d.name, d.description, graph, std::string(SourceName(source)), summary, w.now,
         w.meta.user_id});
}

}  // namespace

std::optional<Flow> ReadFlow(db::Tx& tx, const std::string& flow_id) {
    auto r =
        tx.QueryOne(fmt::format("SELECT {} FROM flows WHERE id = :id AND deleted_at IS NULL", kFlowColumns), {flow_id});
    if (!r) return std::nullopt;
    Flow f{r->Str(0), r->Str(1), r->Str(2), r->Str(3), r->Int(4), {}, {}, r->Int(6), r->Int(7), r->Str(8), r->Str(9)};
    DecodeGraph(r->Str(5), f.nodes, f.edges);
    return f;
}

Result<Flow> InsertFlow(db::Tx& tx, const std::string& workspace_id, FlowDraft draft, Source source, WriteContext& w) {
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
    std::string summary = SummarizeCreation(draft);
    std::string graph = EncodeGraph(draft.nodes, draft.edges);
    Flow flow{NewId("flw"), workspace_id, draft.name,     draft.description, 1, draft.nodes, draft.edges,
              w.now,        w.now,        w.meta.user_id, w.meta.user_id};
    tx.Exec(
        "INSERT INTO flows (id, workspace_id, name, name_lower, description, version, graph, node_count, edge_count, "
        "created_at, created_by, updated_at, updated_by) VALUES (:id, :w, :n, :nl, :d, 1, :g, :nc, :ec, :t, :u, :t2, "
        ":u2)",
        {flow.id, workspace_id, flow.name, ToLower(flow.name), flow.description, graph,
         static_cast<std::int64_t>(flow.nodes.size()), static_cast<std::int64_t>(flow.edges.size()), w.now,
         w.meta.user_id, w.now, w.meta.user_id});
    InsertVersion(tx, flow.id, 1, draft, graph, source, summary, w);
    w.events.push_back(
        {"flow.created", w.meta.request_id, workspace_id, flow.id, {{"version", "1"}, {"summary", summary}}, w.now});
    return flow;
}

Result<Flow> ReplaceFlow(db::Tx& tx, const Flow& before, std::optional<std::int64_t> expected_version, FlowDraft draft,
                         Source source, WriteContext& w) {
    std::int64_t expected = expected_version.value_or(before.version);
    if (before.version != expected) return VersionConflict(before.version);
    std::string summary = SummarizeChange({before.name, before.description, before.nodes, before.edges}, draft);
    std::string graph = EncodeGraph(draft.nodes, draft.edges);
    // Conditional bump: of two writers holding the same version, exactly one succeeds.
    if (tx.Exec(
            "UPDATE flows SET name = :n, name_lower = :nl, description = :d, graph = :g, node_count = :nc, "
            "edge_count = :ec, version = version + 1, updated_at = :t, updated_by = :u "
            "WHERE id = :id AND version = :v AND deleted_at IS NULL",
            {draft.name, ToLower(draft.name), draft.description, graph, static_cast<std::int64_t>(draft.nodes.size()),
             static_cast<std::int64_t>(draft.edges.size()), w.now, w.meta.user_id, before.id, expected}) == 0)
        return VersionConflict(expected + 1);
    InsertVersion(tx, before.id, expected + 1, draft, graph, source, summary, w);
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
        "SELECT f.workspace_id, v.name, v.description, v.graph, f.created_at, v.created_at, f.created_by, "
        "v.created_by FROM flow_versions v JOIN flows f ON f.id = v.flow_id WHERE v.flow_id = :f AND v.version = :v",
        {flow_id, version});
    if (!r) return std::nullopt;
    Flow f{flow_id, r->Str(0), r->Str(1), r->Str(2), version, {}, {}, r->Int(4), r->Int(5), r->Str(6), r->Str(7)};
    DecodeGraph(r->Str(3), f.nodes, f.edges);
    return f;
}

}  // namespace uxf::flows
