#include "uxf/flows/ops_json.hpp"

#include <boost/json.hpp>

#include "graph_codec.hpp"
#include "uxf/core/strings.hpp"
#include "uxf/flows/document_reader.hpp"
#include "uxf/platform/json_text.hpp"

namespace uxf::flows {
namespace {

// Reads ops: the op envelopes and patches here, the nodes and edges in them with the flow document's reader.
class OpsReader : public DocumentReader {
  public:
    using DocumentReader::DocumentReader;

    // A patch: only the keys present are set; null clears optional fields.
    NodePatch ReadNodePatch(const boost::json::object& o, const Path& at) {
        NodePatch p;
        if (o.contains("type")) p.type = TypeOf(o, at, true);
        if (o.contains("label"))
            p.label = Str(o, "label", at, false, limits_.max_label_chars, TextKind::kMultiline).value_or("");
        if (o.contains("data")) p.data = DataOf(o, at).value_or("{}");  // null empties it
        if (o.contains("position")) p.position = PositionOf(o, at);     // null removes it
        return p;
    }

    EdgePatch ReadEdgePatch(const boost::json::object& o, const Path& at) {
        EdgePatch p;
        if (o.contains("source")) p.source = Str(o, "source", at, true, 64);
        if (o.contains("target")) p.target = Str(o, "target", at, true, 64);
        if (o.contains("label"))
            p.label = Str(o, "label", at, false, limits_.max_label_chars, TextKind::kMultiline).value_or("");
        if (o.contains("trigger")) p.trigger = TriggerOf(o, at);  // null clears it
        if (o.contains("condition"))
            p.condition = Str(o, "condition", at, false, limits_.max_label_chars, TextKind::kMultiline);
        return p;
    }

    void ReadMeta(const boost::json::object& set, const Path& at, Op& op) {
        if (set.contains("name")) op.name = Str(set, "name", at, true, limits_.max_name_chars);
        if (set.contains("description"))
            op.description =
                Str(set, "description", at, false, limits_.max_description_chars, TextKind::kMultiline).value_or("");
        if (op.name && Trim(*op.name).empty()) Add(Path(at, "name"), "must not be empty");
    }

    std::optional<Op> ReadOp(const boost::json::value& v, const Path& at) {
        using Kind = Op::Kind;
        const auto* o = v.if_object();
        if (!o) {
            Add(at, "must be an object");
            return std::nullopt;
        }
        auto kind = Str(*o, "op", at, true, 32).value_or("");
        Op op;
        Path set_at(at, "set");
        auto set = [&]() -> const boost::json::object* {
            auto* s = o->if_contains("set");
            if (!s || !s->is_object()) {
                Add(set_at, "must be an object");
                return nullptr;
            }
            return &s->get_object();
        };
        auto part = [&](const char* key) -> const boost::json::value* {
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

}  // namespace

Result<OpsRequest> ParseOpsRequest(std::string_view text, const FlowSettings& limits, bool with_base_version) {
    boost::json::monotonic_resource arena;  // the DOM lives only while it is read
    boost::system::error_code ec;
    boost::json::value parsed = json_text::Parse(text.empty() ? std::string_view("{}") : text, ec, &arena);
    if (ec) return Error::Make(ErrorCode::kInvalidInput, "invalid_json", "the body is not valid JSON: " + ec.message());
    if (!parsed.is_object())
        return Error::Make(ErrorCode::kInvalidInput, "invalid_json", "the body must be a JSON object");
    const auto* doc = &parsed.get_object();
    OpsReader r(limits);
    Path top;
    OpsRequest req;
    auto* base = doc->if_contains("base_version");
    if (!with_base_version) {
    } else if (!base || !base->is_int64() || base->get_int64() < 1)
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

namespace {

using json_text::AppendString;

void AppendOptionalText(std::string& out, const std::optional<std::string>& v) {
    if (v)
        AppendString(out, *v);
    else
        out += "null";
}

// Writes `{"k":v,...}` one key at a time (the caller appends each value).
struct ObjectWriter {
    std::string& out;
    char sep = '{';
    void Key(const char* k) {
        out += sep;
        sep = ',';
        AppendString(out, k);
        out += ':';
    }
    void Close() { out += sep == '{' ? "{}" : "}"; }
};

void AppendNodePatch(std::string& out, const NodePatch& p) {
    ObjectWriter w{out};
    auto key = [&](const char* k) { w.Key(k); };
    if (p.type) key("type"), AppendString(out, NodeTypeName(*p.type));
    if (p.label) key("label"), AppendString(out, *p.label);
    if (p.data) key("data"), out += *p.data;
    if (p.position) {
        key("position");
        if (*p.position) {
            out += "{\"x\":";
            json_text::AppendNumber(out, (*p.position)->x);
            out += ",\"y\":";
            json_text::AppendNumber(out, (*p.position)->y);
            out += '}';
        } else {
            out += "null";
        }
    }
    w.Close();
}

void AppendEdgePatch(std::string& out, const EdgePatch& p) {
    ObjectWriter w{out};
    auto key = [&](const char* k) { w.Key(k); };
    if (p.source) key("source"), AppendString(out, *p.source);
    if (p.target) key("target"), AppendString(out, *p.target);
    if (p.label) key("label"), AppendString(out, *p.label);
    if (p.trigger) {
        key("trigger");
        if (*p.trigger)
            AppendString(out, TriggerName(**p.trigger));
        else
            out += "null";
    }
    if (p.condition) key("condition"), AppendOptionalText(out, *p.condition);
    w.Close();
}

}  // namespace

std::string OpsToJson(const std::vector<Op>& ops) {
    using Kind = Op::Kind;
    std::string out = "[";
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const Op& op = ops[i];
        if (i) out += ',';
        switch (op.kind) {
            case Kind::kAddNode:
                out += "{\"op\":\"add_node\",\"node\":";
                AppendNode(out, op.node);
                break;
            case Kind::kAddEdge:
                out += "{\"op\":\"add_edge\",\"edge\":";
                AppendEdge(out, op.edge);
                break;
            case Kind::kUpdateNode:
            case Kind::kUpdateEdge:
                out += op.kind == Kind::kUpdateNode ? "{\"op\":\"update_node\",\"id\":"
                                                    : "{\"op\":\"update_edge\",\"id\":";
                AppendString(out, op.id);
                out += ",\"set\":";
                if (op.kind == Kind::kUpdateNode)
                    AppendNodePatch(out, op.node_set);
                else
                    AppendEdgePatch(out, op.edge_set);
                break;
            case Kind::kRemoveNode:
            case Kind::kRemoveEdge:
                out += op.kind == Kind::kRemoveNode ? "{\"op\":\"remove_node\",\"id\":"
                                                    : "{\"op\":\"remove_edge\",\"id\":";
                AppendString(out, op.id);
                break;
            case Kind::kSetMeta:
                out += "{\"op\":\"set_meta\",\"set\":{";
                if (op.name) out += "\"name\":", AppendString(out, *op.name);
                if (op.description) {
                    if (op.name) out += ',';
                    out += "\"description\":";
                    AppendString(out, *op.description);
                }
                out += '}';
                break;
        }
        out += '}';
    }
    return out + "]";
}

namespace {

boost::json::array Strings(const std::vector<std::string>& v) {
    boost::json::array out;
    for (const auto& s : v) out.push_back(boost::json::value(s));
    return out;
}

boost::json::array Changes(const std::vector<FieldChange>& v) {
    boost::json::array out;
    for (const auto& c : v) out.push_back(boost::json::object{{"id", c.id}, {"fields", Strings(c.fields)}});
    return out;
}

}  // namespace

std::string DiffToJson(const FlowDiff& d) {
    return json_text::Write(boost::json::object{{"added_nodes", Strings(d.added_nodes)},
                                                {"removed_nodes", Strings(d.removed_nodes)},
                                                {"changed_nodes", Changes(d.changed_nodes)},
                                                {"added_edges", Strings(d.added_edges)},
                                                {"removed_edges", Strings(d.removed_edges)},
                                                {"changed_edges", Changes(d.changed_edges)},
                                                {"changed_meta", Strings(d.changed_meta)}});
}

}  // namespace uxf::flows
