#include "flow_json.hpp"

#include <cmath>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "../json_io.hpp"
#include "uxf/core/strings.hpp"
#include "uxf/flows/document_reader.hpp"
#include "uxf/platform/json_text.hpp"

namespace uxf::gateway {
namespace {

namespace json = boost::json;
using flows::Path;

// Reads ops: the op envelopes and patches here, the nodes and edges in them with the flow document's reader.
class OpsReader : public flows::DocumentReader {
  public:
    using DocumentReader::DocumentReader;

    // A patch: only the keys present are set; null clears optional fields.
    flows::NodePatch ReadNodePatch(const json::object& o, const Path& at) {
        flows::NodePatch p;
        if (o.contains("type")) p.type = TypeOf(o, at, true);
        if (o.contains("label"))
            p.label = Str(o, "label", at, false, limits_.max_label_chars, flows::TextKind::kMultiline).value_or("");
        if (o.contains("data")) p.data = DataOf(o, at).value_or("{}");  // null empties it
        if (o.contains("position")) p.position = PositionOf(o, at);     // null removes it
        return p;
    }

    flows::EdgePatch ReadEdgePatch(const json::object& o, const Path& at) {
        flows::EdgePatch p;
        if (o.contains("source")) p.source = Str(o, "source", at, true, 64);
        if (o.contains("target")) p.target = Str(o, "target", at, true, 64);
        if (o.contains("label"))
            p.label = Str(o, "label", at, false, limits_.max_label_chars, flows::TextKind::kMultiline).value_or("");
        if (o.contains("trigger")) p.trigger = TriggerOf(o, at);  // null clears it
        if (o.contains("condition"))
            p.condition = Str(o, "condition", at, false, limits_.max_label_chars, flows::TextKind::kMultiline);
        return p;
    }

    void ReadMeta(const json::object& set, const Path& at, flows::Op& op) {
        if (set.contains("name")) op.name = Str(set, "name", at, true, limits_.max_name_chars);
        if (set.contains("description"))
            op.description =
                Str(set, "description", at, false, limits_.max_description_chars, flows::TextKind::kMultiline)
                    .value_or("");
        if (op.name && Trim(*op.name).empty()) Add(Path(at, "name"), "must not be empty");
    }

    std::optional<flows::Op> ReadOp(const json::value& v, const Path& at) {
        using Kind = flows::Op::Kind;
        const auto* o = v.if_object();
        if (!o) {
            Add(at, "must be an object");
            return std::nullopt;
        }
        auto kind = Str(*o, "op", at, true, 32).value_or("");
        flows::Op op;
        Path set_at(at, "set");
        auto set = [&]() -> const json::object* {
            auto* s = o->if_contains("set");
            if (!s || !s->is_object()) {
                Add(set_at, "must be an object");
                return nullptr;
            }
            return &s->get_object();
        };
        auto part = [&](const char* key) -> const json::value* {
            auto* p = o->if_contains(key);
            if (!p) Add(Path(at, key), "is required");
            return p;
        };
        if (kind == "add_node") {
            op.kind = Kind::kAddNode;
            if (auto* n = part("node"))
                if (auto node = ReadNode(*n, Path(at, "node"))) op.node = std::move(*node);
        } else if (kind == "add_edge") {
            op.kind = Kind::kAddEdge;
            if (auto* e = part("edge"))
                if (auto edge = ReadEdge(*e, Path(at, "edge"))) op.edge = std::move(*edge);
        } else if (kind == "update_node" || kind == "update_edge" || kind == "remove_node" || kind == "remove_edge") {
            bool node = kind.ends_with("node");
            bool update = kind.starts_with("update");
            op.kind = update ? (node ? Kind::kUpdateNode : Kind::kUpdateEdge)
                             : (node ? Kind::kRemoveNode : Kind::kRemoveEdge);
            op.id = IdOf(*o, at, true).value_or("");
            if (update)
                if (auto* s = set()) {
                    if (node)
                        op.node_set = ReadNodePatch(*s, set_at);
                    else
                        op.edge_set = ReadEdgePatch(*s, set_at);
                }
        } else if (kind == "set_meta") {
            op.kind = Kind::kSetMeta;
            if (auto* s = set()) ReadMeta(*s, set_at, op);
        } else if (!kind.empty()) {
            Add(Path(at, "op"),
                "must be one of add_node, update_node, remove_node, add_edge, update_edge, remove_edge, set_meta");
        }
        return op;
    }
};

json::array Strings(const std::vector<std::string>& v) {
    json::array out;
    for (const auto& s : v) out.push_back(json::value(s));
    return out;
}

json::array Changes(const std::vector<flows::FieldChange>& v) {
    json::array out;
    for (const auto& c : v) out.push_back(json::object{{"id", c.id}, {"fields", Strings(c.fields)}});
    return out;
}

}  // namespace

Result<flows::OpsRequest> ReadOpsBody(std::string_view body, const flows::FlowSettings& limits) {
    json::monotonic_resource arena;  // the DOM lives only while it is read
    auto doc = ParseObject(body, &arena);
    if (!doc.ok()) return doc.error();
    OpsReader r(limits);
    Path top;
    flows::OpsRequest req;
    auto* base = doc->if_contains("base_version");
    if (!base || !base->is_int64() || base->get_int64() < 1)
        r.Add(Path(top, "base_version"), "must be a positive integer");
    else
        req.base_version = base->get_int64();
    Path list(top, "ops");
    auto* ops = doc->if_contains("ops");
    if (!ops || !ops->is_array() || ops->get_array().empty()) {
        r.Add(list, "must be a non-empty array");
    } else if (ops->get_array().size() > limits.max_nodes + limits.max_edges) {
        r.Limit(list, "too many ops in one request");
    } else {
        const auto& arr = ops->get_array();
        req.ops.reserve(arr.size());
        for (std::size_t i = 0; i < arr.size(); ++i)
            if (auto op = r.ReadOp(arr[i], Path(list, i))) req.ops.push_back(std::move(*op));
    }
    if (auto ok = r.Finish(); !ok.ok()) return ok.error();
    return req;
}

Result<flows::BatchRequest> ReadBatchBody(std::string_view body, const flows::FlowSettings& limits,
                                          std::size_t max_items) {
    using Kind = flows::BatchOp::Kind;
    json::monotonic_resource arena;
    auto doc = ParseObject(body, &arena);
    if (!doc.ok()) return doc.error();
    flows::BatchRequest req;
    if (auto* a = doc->if_contains("atomic"); a && !a->is_null()) {
        if (!a->is_bool()) return Error::Invalid("bad batch", {{"atomic", "must be true or false"}});
        req.atomic = a->get_bool();
    }
    auto* ops = doc->if_contains("operations");
    if (!ops || !ops->is_array() || ops->get_array().empty())
        return Error::Invalid("bad batch", {{"operations", "must be a non-empty array"}});
    const auto& arr = ops->get_array();
    if (arr.size() > max_items) {
        Error e = Error::Make(ErrorCode::kLimitExceeded, "limit_exceeded",
                              fmt::format("a batch holds at most {} operations", max_items));
        e.errors = {{"operations", fmt::format("at most {}", max_items)}};
        return e;
    }
    Path top, list(top, "operations");
    for (std::size_t i = 0; i < arr.size(); ++i) {
        Path at(list, i);
        flows::DocumentReader r(limits);
        flows::BatchOp op;
        if (const auto* item = arr[i].if_object()) {
            auto* kind = item->if_contains("op");
            std::string_view k = kind && kind->is_string() ? std::string_view(kind->get_string()) : "";
            if (k == "create" || k == "update" || k == "delete")
                op.kind = k == "create" ? Kind::kCreate : k == "update" ? Kind::kUpdate : Kind::kDelete;
            else
                r.Add(Path(at, "op"), "must be create, update or delete");
            if (r.empty() && op.kind != Kind::kCreate) {
                auto* id = item->if_contains("id");
                if (!id || !id->is_string() || id->get_string().empty())
                    r.Add(Path(at, "id"), "is required");
                else
                    op.id = id->get_string();
            }
            if (auto* v = item->if_contains("version"); r.empty() && v && !v->is_null()) {
                if (!v->is_int64() || v->get_int64() < 1)
                    r.Add(Path(at, "version"), "must be a positive integer");
                else
                    op.version = v->get_int64();
            }
            if (r.empty() && op.kind != Kind::kDelete) {
                auto* flow = item->if_contains("flow");
                if (!flow || !flow->is_object())
                    r.Add(Path(at, "flow"), "must be a flow document");
                else
                    op.draft = r.ReadDraft(flow->get_object(), Path(at, "flow"));
            }
        } else {
            r.Add(at, "must be an object");
        }
        if (auto ok = r.Finish("the operation is not valid"); !ok.ok())
            req.items.push_back(ok.error());
        else
            req.items.push_back(std::move(op));
    }
    return req;
}

std::string SummaryJson(const flows::FlowSummary& s) {
    return json_text::Write(json::object{{"id", s.id},
                                         {"workspace_id", s.workspace_id},
                                         {"name", s.name},
                                         {"description", s.description},
                                         {"version", s.version},
                                         {"node_count", s.node_count},
                                         {"edge_count", s.edge_count},
                                         {"created_at", FormatRfc3339(s.created_at)},
                                         {"updated_at", FormatRfc3339(s.updated_at)},
                                         {"created_by", s.created_by},
                                         {"updated_by", s.updated_by}});
}

std::string VersionJson(const flows::VersionInfo& v) {
    return json_text::Write(json::object{{"version", v.version},
                                         {"created_at", FormatRfc3339(v.created_at)},
                                         {"created_by", v.created_by},
                                         {"source", flows::SourceName(v.source)},
                                         {"summary", v.summary}});
}

std::string DiagnosticsJson(const std::vector<flows::Diagnostic>& ds) {
    json::array list;
    for (const auto& d : ds)
        list.push_back(json::object{{"severity", d.severity == flows::Severity::kError ? "error" : "warning"},
                                    {"code", d.code},
                                    {"message", d.message},
                                    {"node_ids", Strings(d.node_ids)},
                                    {"edge_ids", Strings(d.edge_ids)}});
    return json_text::Write(json::object{{"valid", flows::IsValid(ds)}, {"diagnostics", std::move(list)}});
}

std::string AnalyticsJson(const flows::Analytics& a) {
    return json_text::Write(json::object{{"nodes", a.nodes},
                                         {"edges", a.edges},
                                         {"screens", a.screens},
                                         {"decisions", a.decisions},
                                         {"max_depth", a.max_depth},
                                         {"paths_start_to_end", a.paths_start_to_end},
                                         {"paths_capped", a.paths_capped},
                                         {"dead_ends", Strings(a.dead_ends)},
                                         {"unreachable", Strings(a.unreachable)},
                                         {"avg_branching", std::round(a.avg_branching * 100) / 100}});
}

std::string DiffJson(const flows::FlowDiff& d) {
    return json_text::Write(json::object{{"added_nodes", Strings(d.added_nodes)},
                                         {"removed_nodes", Strings(d.removed_nodes)},
                                         {"changed_nodes", Changes(d.changed_nodes)},
                                         {"added_edges", Strings(d.added_edges)},
                                         {"removed_edges", Strings(d.removed_edges)},
                                         {"changed_edges", Changes(d.changed_edges)},
                                         {"changed_meta", Strings(d.changed_meta)}});
}

}  // namespace uxf::gateway
