// The flow document format (JSON), strict on input. This module's own file format, also used on the wire.
#include "uxf/flows/flow_json.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_set>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "checks.hpp"
#include "graph_codec.hpp"
#include "input_rules.hpp"
#include "uxf/core/strings.hpp"
#include "uxf/flows/ops.hpp"
#include "uxf/platform/json_text.hpp"

namespace uxf::flows {
namespace {

namespace json = boost::json;

// True when every number in `v` is finite (the parser's depth limit bounds the recursion).
bool AllFinite(const json::value& v) {
    if (v.is_double()) return std::isfinite(v.get_double());
    if (const auto* a = v.if_array()) return std::all_of(a->begin(), a->end(), AllFinite);
    if (const auto* o = v.if_object())
        return std::all_of(o->begin(), o->end(), [](const auto& kv) { return AllFinite(kv.value()); });
    return true;
}

// Reads the parts of documents, collecting field errors (Problems) as it goes.
class Reader : public Problems {
  public:
    explicit Reader(const FlowSettings& limits) : Problems(limits) {}

    std::optional<std::string> Str(const json::object& o, const char* key, const std::string& path, bool required,
                                   std::size_t max_chars, TextKind kind = TextKind::kLine) {
        auto* v = o.if_contains(key);
        if (!v || v->is_null()) {
            if (required) Add(path, "is required");
            return std::nullopt;
        }
        if (!v->is_string()) {
            Add(path, "must be a string");
            return std::nullopt;
        }
        std::string s(v->as_string());
        if (!Text(path, s, max_chars, kind)) return std::nullopt;
        return s;
    }

    std::optional<Node> ReadNode(const json::value& v, const std::string& path) {
        if (!v.is_object()) {
            Add(path, "must be an object");
            return std::nullopt;
        }
        const auto& o = v.as_object();
        Node n;
        n.id = Str(o, "id", path + ".id", false, 64).value_or("");
        if (!n.id.empty() && !IsValidElementId(n.id)) Add(path + ".id", "may hold only letters, digits and _-.:");
        if (auto t = TypeOf(o, path, true)) n.type = *t;
        n.label = Str(o, "label", path + ".label", false, limits_.max_label_chars, TextKind::kMultiline).value_or("");
        if (auto d = DataOf(o, path)) n.data = *d;
        n.position = PositionOf(o, path);
        return n;
    }

    // The node fields that both whole nodes and patches read; each answers nullopt when absent or null.
    std::optional<NodeType> TypeOf(const json::object& o, const std::string& path, bool required) {
        auto type = Str(o, "type", path + ".type", required, 32);
        if (!type) return std::nullopt;
        auto t = ParseNodeType(*type);
        if (!t) Add(path + ".type", "must be one of start, screen, decision, action, end, note, subflow");
        return t;
    }

    std::optional<std::string> DataOf(const json::object& o, const std::string& path) {
        auto* d = o.if_contains("data");
        if (!d || d->is_null()) return std::nullopt;
        if (!d->is_object()) {
            Add(path + ".data", "must be an object");
            return std::nullopt;
        }
        if (!AllFinite(*d)) {
            // Boost.JSON reads 1e999 as infinity and writes it back as text no parser reads (found by
            // fuzz/flow_document: the stored snapshot and the export failed to parse).
            Add(path + ".data", "numbers must be finite (within ±1.7976931348623157e308)");
            return std::nullopt;
        }
        std::string text = json_text::Write(*d);
        if (text.size() > limits_.max_data_bytes)
            Limit(path + ".data", fmt::format("at most {} bytes of data per node", limits_.max_data_bytes));
        return text;
    }

    std::optional<Position> PositionOf(const json::object& o, const std::string& path) {
        auto* p = o.if_contains("position");
        if (!p || p->is_null()) return std::nullopt;
        const auto* po = p->if_object();
        const auto* x = po ? po->if_contains("x") : nullptr;
        const auto* y = po ? po->if_contains("y") : nullptr;
        if (!x || !y || !x->is_number() || !y->is_number()) {
            Add(path + ".position", "must be {\"x\": number, \"y\": number}");
            return std::nullopt;
        }
        Position pos{x->to_number<double>(), y->to_number<double>()};
        if (auto problem = PositionProblem(pos)) {
            Add(path + ".position", *problem);
            return std::nullopt;
        }
        return pos;
    }

    std::optional<Edge> ReadEdge(const json::value& v, const std::string& path) {
        if (!v.is_object()) {
            Add(path, "must be an object");
            return std::nullopt;
        }
        const auto& o = v.as_object();
        Edge e;
        e.id = Str(o, "id", path + ".id", false, 64).value_or("");
        if (!e.id.empty() && !IsValidElementId(e.id)) Add(path + ".id", "may hold only letters, digits and _-.:");
        e.source = Str(o, "source", path + ".source", true, 64).value_or("");
        e.target = Str(o, "target", path + ".target", true, 64).value_or("");
        e.label = Str(o, "label", path + ".label", false, limits_.max_label_chars, TextKind::kMultiline).value_or("");
        if (auto trigger = Str(o, "trigger", path + ".trigger", false, 32)) {
            if (auto t = ParseTrigger(*trigger))
                e.trigger = *t;
            else
                Add(path + ".trigger", "must be one of click, submit, auto, back, timeout, system");
        }
        e.condition = Str(o, "condition", path + ".condition", false, limits_.max_label_chars, TextKind::kMultiline);
        return e;
    }

    // A patch: only the keys present are set; null clears optional fields.
    NodePatch ReadNodePatch(const json::object& o, const std::string& path) {
        NodePatch p;
        if (o.contains("type")) p.type = TypeOf(o, path, true);
        if (o.contains("label"))
            p.label =
                Str(o, "label", path + ".label", false, limits_.max_label_chars, TextKind::kMultiline).value_or("");
        if (o.contains("data")) p.data = DataOf(o, path).value_or("{}");  // null empties it
        if (o.contains("position")) p.position = PositionOf(o, path);     // null removes it
        return p;
    }

    EdgePatch ReadEdgePatch(const json::object& o, const std::string& path) {
        EdgePatch p;
        if (o.contains("source")) p.source = Str(o, "source", path + ".source", true, 64);
        if (o.contains("target")) p.target = Str(o, "target", path + ".target", true, 64);
        if (o.contains("label"))
            p.label =
                Str(o, "label", path + ".label", false, limits_.max_label_chars, TextKind::kMultiline).value_or("");
        if (o.contains("trigger")) {
            auto t = Str(o, "trigger", path + ".trigger", false, 32);
            std::optional<Trigger> parsed;
            if (t && !(parsed = ParseTrigger(*t)))
                Add(path + ".trigger", "must be one of click, submit, auto, back, timeout, system");
            p.trigger = parsed;
        }
        if (o.contains("condition"))
            p.condition =
                Str(o, "condition", path + ".condition", false, limits_.max_label_chars, TextKind::kMultiline);
        return p;
    }

    std::optional<Op> ReadOp(const json::value& v, const std::string& path) {
        const auto* o = v.if_object();
        if (!o) {
            Add(path, "must be an object");
            return std::nullopt;
        }
        auto kind = Str(*o, "op", path + ".op", true, 32).value_or("");
        Op op;
        auto set = [&]() -> const json::object* {
            auto* s = o->if_contains("set");
            if (!s || !s->is_object()) {
                Add(path + ".set", "must be an object");
                return nullptr;
            }
            return &s->as_object();
        };
        auto target_id = [&] { op.id = Str(*o, "id", path + ".id", true, 64).value_or(""); };
        if (kind == "add_node") {
            op.kind = Op::Kind::kAddNode;
            auto* n = o->if_contains("node");
            if (!n)
                Add(path + ".node", "is required");
            else if (auto node = ReadNode(*n, path + ".node"))
                op.node = std::move(*node);
        } else if (kind == "update_node") {
            op.kind = Op::Kind::kUpdateNode;
            target_id();
            if (auto* s = set()) op.node_set = ReadNodePatch(*s, path + ".set");
        } else if (kind == "remove_node") {
            op.kind = Op::Kind::kRemoveNode;
            target_id();
        } else if (kind == "add_edge") {
            op.kind = Op::Kind::kAddEdge;
            auto* e = o->if_contains("edge");
            if (!e)
                Add(path + ".edge", "is required");
            else if (auto edge = ReadEdge(*e, path + ".edge"))
                op.edge = std::move(*edge);
        } else if (kind == "update_edge") {
            op.kind = Op::Kind::kUpdateEdge;
            target_id();
            if (auto* s = set()) op.edge_set = ReadEdgePatch(*s, path + ".set");
        } else if (kind == "remove_edge") {
            op.kind = Op::Kind::kRemoveEdge;
            target_id();
        } else if (kind == "set_meta") {
            op.kind = Op::Kind::kSetMeta;
            if (auto* s = set()) {
                if (s->contains("name")) op.name = Str(*s, "name", path + ".set.name", true, limits_.max_name_chars);
                if (s->contains("description"))
                    op.description = Str(*s, "description", path + ".set.description", false,
                                         limits_.max_description_chars, TextKind::kMultiline)
                                         .value_or("");
                if (op.name && Trim(*op.name).empty()) Add(path + ".set.name", "must not be empty");
            }
        } else if (!kind.empty()) {
            Add(path + ".op",
                "must be one of add_node, update_node, remove_node, add_edge, update_edge, remove_edge, set_meta");
        }
        return op;
    }
};

Result<FlowDraft> ReadDraft(const json::object& o, const FlowSettings& limits) {
    Reader r(limits);
    FlowDraft draft;
    auto name = r.Str(o, "name", "name", true, limits.max_name_chars);
    if (name && Trim(*name).empty()) r.Add("name", "must not be empty");
    draft.name = name.value_or("");
    draft.description =
        r.Str(o, "description", "description", false, limits.max_description_chars, TextKind::kMultiline).value_or("");
    auto read_array = [&](const char* key, auto read_one, auto& out) {
        auto* v = o.if_contains(key);
        if (!v || v->is_null()) return;
        if (!v->is_array()) {
            r.Add(key, "must be an array");
            return;
        }
        const auto& arr = v->as_array();
        out.reserve(arr.size());
        for (std::size_t i = 0; i < arr.size(); ++i)
            if (auto item = read_one(arr[i], fmt::format("{}[{}]", key, i))) out.push_back(std::move(*item));
    };
    read_array(
        "nodes", [&](const json::value& v, const std::string& p) { return r.ReadNode(v, p); }, draft.nodes);
    read_array(
        "edges", [&](const json::value& v, const std::string& p) { return r.ReadEdge(v, p); }, draft.edges);
    CheckLimits(draft, limits, r);
    if (r.empty()) {
        AssignMissingIds(draft);
        CheckStructure(draft, r);
    }
    if (auto ok = r.Finish(); !ok.ok()) return ok.error();
    return draft;
}

// `arena` holds the DOM, which lives only while it is read.
Result<json::value> ParseJson(std::string_view text, json::monotonic_resource& arena) {
    boost::system::error_code ec;
    json::value doc = json_text::Parse(text, ec, &arena);  // numbers exact: what is stored reads back the same
    if (ec) return Error::Make(ErrorCode::kInvalidInput, "invalid_json", "the body is not valid JSON: " + ec.message());
    if (!doc.is_object())
        return Error::Make(ErrorCode::kInvalidInput, "invalid_json", "the body must be a JSON object");
    return doc;
}

// Prefixes field names, for errors of a nested document (`operations[2].flow.nodes[0].type`).
Error Nested(Error e, const std::string& prefix) {
    for (auto& f : e.errors) f.field = prefix + "." + f.field;
    return e;
}

}  // namespace

Result<FlowDraft> ParseFlowDocument(std::string_view text, const FlowSettings& limits) {
    json::monotonic_resource arena;
    auto doc = ParseJson(text, arena);
    if (!doc.ok()) return doc.error();
    return ReadDraft(doc->as_object(), limits);
}

Result<BatchRequest> ParseBatchDocument(std::string_view text, const FlowSettings& limits, std::size_t max_items) {
    json::monotonic_resource arena;
    auto doc = ParseJson(text, arena);
    if (!doc.ok()) return doc.error();
    const auto& o = doc->as_object();
    BatchRequest req;
    if (auto* a = o.if_contains("atomic"); a && !a->is_null()) {
        if (!a->is_bool()) return Error::Invalid("bad batch", {{"atomic", "must be true or false"}});
        req.atomic = a->as_bool();
    }
    auto* ops = o.if_contains("operations");
    if (!ops || !ops->is_array() || ops->as_array().empty())
        return Error::Invalid("bad batch", {{"operations", "must be a non-empty array"}});
    if (ops->as_array().size() > max_items) {
        Error e = Error::Make(ErrorCode::kLimitExceeded, "limit_exceeded",
                              fmt::format("a batch holds at most {} operations", max_items));
        e.errors = {{"operations", fmt::format("at most {}", max_items)}};
        return e;
    }
    const auto& arr = ops->as_array();
    for (std::size_t i = 0; i < arr.size(); ++i) {
        std::string path = fmt::format("operations[{}]", i);
        const auto* item = arr[i].if_object();
        auto bad = [&](const std::string& field, const std::string& message) {
            return Error::Invalid("the operation is not valid", {{path + field, message}});
        };
        if (!item) {
            req.items.push_back(bad("", "must be an object"));
            continue;
        }
        BatchOp op;
        auto* kind = item->if_contains("op");
        std::string k = kind && kind->is_string() ? std::string(kind->as_string()) : "";
        if (k == "create")
            op.kind = BatchOp::Kind::kCreate;
        else if (k == "update")
            op.kind = BatchOp::Kind::kUpdate;
        else if (k == "delete")
            op.kind = BatchOp::Kind::kDelete;
        else {
            req.items.push_back(bad(".op", "must be create, update or delete"));
            continue;
        }
        if (op.kind != BatchOp::Kind::kCreate) {
            auto* id = item->if_contains("id");
            if (!id || !id->is_string() || id->as_string().empty()) {
                req.items.push_back(bad(".id", "is required"));
                continue;
            }
            op.id = id->as_string();
        }
        if (auto* v = item->if_contains("version"); v && !v->is_null()) {
            if (!v->is_int64() || v->as_int64() < 1) {
                req.items.push_back(bad(".version", "must be a positive integer"));
                continue;
            }
            op.version = v->as_int64();
        }
        if (op.kind != BatchOp::Kind::kDelete) {
            auto* flow = item->if_contains("flow");
            if (!flow || !flow->is_object()) {
                req.items.push_back(bad(".flow", "must be a flow document"));
                continue;
            }
            auto draft = ReadDraft(flow->as_object(), limits);
            if (!draft.ok()) {
                req.items.push_back(Nested(draft.error(), path + ".flow"));
                continue;
            }
            op.draft = std::move(*draft);
        }
        req.items.push_back(std::move(op));
    }
    return req;
}

Result<OpsRequest> ParseOpsDocument(std::string_view text, const FlowSettings& limits) {
    json::monotonic_resource arena;
    auto doc = ParseJson(text, arena);
    if (!doc.ok()) return doc.error();
    const auto& o = doc->as_object();
    Reader r(limits);
    OpsRequest req;
    auto* base = o.if_contains("base_version");
    if (!base || !base->is_int64() || base->as_int64() < 1)
        r.Add("base_version", "must be a positive integer");
    else
        req.base_version = base->as_int64();
    auto* ops = o.if_contains("ops");
    if (!ops || !ops->is_array() || ops->as_array().empty()) {
        r.Add("ops", "must be a non-empty array");
    } else if (ops->as_array().size() > limits.max_nodes + limits.max_edges) {
        r.Limit("ops", "too many ops in one request");
    } else {
        const auto& arr = ops->as_array();
        for (std::size_t i = 0; i < arr.size(); ++i)
            if (auto op = r.ReadOp(arr[i], fmt::format("ops[{}]", i))) req.ops.push_back(std::move(*op));
    }
    if (auto ok = r.Finish(); !ok.ok()) return ok.error();
    return req;
}

std::string FlowToJson(const Flow& f) {
    using json_text::AppendString;
    std::string out;
    out.reserve(256 + f.nodes.size() * 96 + f.edges.size() * 96);
    out += "{\"id\":";
    AppendString(out, f.id);
    out += ",\"workspace_id\":";
    AppendString(out, f.workspace_id);
    out += ",\"name\":";
    AppendString(out, f.name);
    out += ",\"description\":";
    AppendString(out, f.description);
    out += ",\"version\":";
    json_text::AppendNumber(out, f.version);
    out += ',';
    AppendGraph(out, f.nodes, f.edges);
    out += ",\"created_at\":";
    AppendString(out, FormatRfc3339(f.created_at));
    out += ",\"updated_at\":";
    AppendString(out, FormatRfc3339(f.updated_at));
    out += ",\"created_by\":";
    AppendString(out, f.created_by);
    out += ",\"updated_by\":";
    AppendString(out, f.updated_by);
    out += '}';
    return out;
}

std::string SummaryToJson(const FlowSummary& s) {
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

}  // namespace uxf::flows
