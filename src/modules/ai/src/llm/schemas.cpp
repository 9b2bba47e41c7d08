#include "llm/schemas.hpp"

#include <initializer_list>
#include <utility>

#include <boost/json.hpp>

#include "uxf/platform/json_text.hpp"

namespace uxf::ai {
namespace {

namespace json = boost::json;

json::array Strings(std::initializer_list<const char*> values, bool with_null = false) {
    json::array out;
    for (const char* v : values) out.emplace_back(v);
    if (with_null) out.emplace_back(nullptr);
    return out;
}

const std::initializer_list<const char*> kNodeTypes = {"start",  "end",  "screen", "decision",
                                                       "action", "note", "subflow"};
const std::initializer_list<const char*> kTriggers = {"click", "submit", "auto", "back", "timeout", "system"};

json::object Text(const char* description = nullptr) {
    json::object o{{"type", "string"}};
    if (description) o["description"] = description;
    return o;
}

json::object NullableText(const char* description) {
    return json::object{{"type", json::array{"string", "null"}}, {"description", description}};
}

// A strict object: every property required, nothing else allowed.
json::object Object(std::initializer_list<std::pair<const char*, json::value>> properties) {
    json::object props;
    json::array required;
    for (const auto& [name, schema] : properties) {
        props[name] = schema;
        required.emplace_back(name);
    }
    return json::object{{"type", "object"},
                        {"properties", std::move(props)},
                        {"required", std::move(required)},
                        {"additionalProperties", false}};
}

json::object Array(json::value items) { return json::object{{"type", "array"}, {"items", std::move(items)}}; }

json::object Nullable(json::object schema) {
    return json::object{{"anyOf", json::array{std::move(schema), json::object{{"type", "null"}}}}};
}

json::object Data() {
    auto source = Object({{"kind", json::object{{"type", "string"}, {"enum", Strings({"pattern", "document"})}}},
                          {"id", Text("the pattern's id, or the document's id")},
                          {"chunk_id", NullableText("the document chunk's id; null for a pattern")}});
    auto data = Object({{"sources", Array(std::move(source))}});
    data["description"] = "sources: the patterns and document chunks this node drew on (may be empty)";
    return data;
}

json::object Node() {
    return Object({{"id", Text("unique in the flow, e.g. \"n_login\"")},
                   {"type", json::object{{"type", "string"}, {"enum", Strings(kNodeTypes)}}},
                   {"label", Text()},
                   {"data", Data()}});
}

json::object Edge() {
    return Object({{"id", Text("unique in the flow, e.g. \"e_1\"")},
                   {"source", Text("a node id")},
                   {"target", Text("a node id")},
                   {"label", Text("the branch's label after a decision; may be empty elsewhere")},
                   {"trigger", json::object{{"type", "string"}, {"enum", Strings(kTriggers)}}}});
}

json::object Patch() {
    return Object({{"label", NullableText("nodes and edges")},
                   {"type", json::object{{"type", json::array{"string", "null"}},
                                         {"enum", Strings(kNodeTypes, true)},
                                         {"description", "nodes"}}},
                   {"data", Nullable(Data())},
                   {"source", NullableText("edges: a node id")},
                   {"target", NullableText("edges: a node id")},
                   {"trigger", json::object{{"type", json::array{"string", "null"}},
                                            {"enum", Strings(kTriggers, true)},
                                            {"description", "edges"}}},
                   {"name", NullableText("set_meta: the flow's name")},
                   {"description", NullableText("set_meta: the flow's description")}});
}

std::string Make(json::object schema) { return json_text::Write(schema); }

void Drop(json::value& v) {
    if (auto* o = v.if_object()) {
        json::object kept;  // rebuilt: object::erase moves the last member into the hole, and order matters to people
        kept.reserve(o->size());
        for (auto& [key, value] : *o)
            if (!value.is_null()) {
                Drop(value);
                kept.emplace(key, std::move(value));
            }
        *o = std::move(kept);
    } else if (auto* a = v.if_array()) {
        for (auto& x : *a) Drop(x);
    }
}

}  // namespace

const std::string& FlowSchema() {
    static const std::string schema =
        Make(Object({{"name", Text()}, {"description", Text()}, {"nodes", Array(Node())}, {"edges", Array(Edge())}}));
    return schema;
}

const std::string& FlowOpsSchema() {
    static const std::string schema = [] {
        auto op =
            Object({{"op", json::object{{"type", "string"},
                                        {"enum", Strings({"add_node", "update_node", "remove_node", "add_edge",
                                                          "update_edge", "remove_edge", "set_meta"})}}},
                    {"id", NullableText("update_node, remove_node, update_edge, remove_edge: the node's or edge's id")},
                    {"node", Nullable(Node())},
                    {"edge", Nullable(Edge())},
                    {"set", Nullable(Patch())}});
        return Make(Object({{"summary", Text("one sentence saying what changed")}, {"ops", Array(std::move(op))}}));
    }();
    return schema;
}

std::string DropNulls(const std::string& text) {
    boost::system::error_code ec;
    auto v = json_text::Parse(text, ec);
    if (ec) return text;
    Drop(v);
    return json_text::Write(v);
}

}  // namespace uxf::ai
