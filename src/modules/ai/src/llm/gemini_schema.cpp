// The Schema fields: https://ai.google.dev/api/caching#Schema.
#include "llm/gemini_schema.hpp"

#include <array>
#include <cctype>
#include <stdexcept>

#include <boost/json.hpp>

#include "uxf/platform/json_text.hpp"

namespace uxf::ai {
namespace {

namespace json = boost::json;

constexpr std::array<std::string_view, 14> kKept = {
    "format",        "title",     "description", "enum",    "maxItems", "minItems", "minProperties",
    "maxProperties", "minLength", "maxLength",   "pattern", "minimum",  "maximum",  "default"};

bool IsNullSchema(const json::value& v) {
    const auto* o = v.if_object();
    const auto* type = o ? o->if_contains("type") : nullptr;
    return type && type->is_string() && type->get_string() == "null";
}

json::value Convert(const json::value& in) {
    const auto* o = in.if_object();
    if (!o) return json::object{};
    json::object out;
    bool nullable = false;
    if (const auto* type = o->if_contains("type")) {
        std::string kept;
        if (type->is_string()) kept = type->get_string();
        if (type->is_array())
            for (const auto& t : type->get_array()) {
                if (!t.is_string()) continue;
                if (t.get_string() == "null")
                    nullable = true;
                else if (kept.empty())
                    kept = t.get_string();
            }
        if (!kept.empty()) {
            for (auto& ch : kept) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            out["type"] = kept;
        }
    }
    for (const auto key : kKept)
        if (const auto* v = o->if_contains(key)) {
            if (key != "enum" || !v->is_array()) {
                out[key] = *v;
                continue;
            }
            json::array values;  // Gemini's enums are strings; null is `nullable`
            for (const auto& e : v->get_array())
                if (e.is_null())
                    nullable = true;
                else if (e.is_string())
                    values.push_back(e);
            out["enum"] = std::move(values);
        }
    if (const auto* c = o->if_contains("const"); c && c->is_string()) out["enum"] = json::array{*c};
    if (const auto* items = o->if_contains("items")) out["items"] = Convert(*items);
    if (const auto* properties = o->if_contains("properties"); properties && properties->is_object()) {
        json::object converted;
        json::array order;
        for (const auto& [name, schema] : properties->get_object()) {
            converted[name] = Convert(schema);
            order.push_back(json::string(name));
        }
        out["properties"] = std::move(converted);
        out["propertyOrdering"] = std::move(order);
        if (const auto* required = o->if_contains("required")) out["required"] = *required;
    }
    if (const auto* any = o->if_contains("anyOf"); any && any->is_array()) {
        json::array branches;
        for (const auto& b : any->get_array())
            if (IsNullSchema(b))
                nullable = true;
            else
                branches.push_back(Convert(b));
        if (branches.size() == 1) {
            // One branch left: it is the schema (a description beside anyOf stays).
            for (auto& [key, value] : branches[0].as_object()) out[key] = value;
        } else if (!branches.empty()) {
            out["anyOf"] = std::move(branches);
        }
    }
    if (nullable) out["nullable"] = true;
    return out;
}

}  // namespace

std::string ToGeminiSchema(std::string_view json_schema) {
    boost::system::error_code ec;
    auto schema = json_text::Parse(json_schema, ec);
    if (ec) throw std::invalid_argument("the JSON schema is not JSON");
    return json_text::Write(Convert(schema));
}

}  // namespace uxf::ai
