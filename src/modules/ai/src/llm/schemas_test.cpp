#include "llm/schemas.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>

#include <boost/json.hpp>

#include "uxf/platform/json_text.hpp"

namespace uxf::ai {
namespace {

namespace json = boost::json;

json::value Parse(const std::string& text) {
    boost::system::error_code ec;
    auto v = json_text::Parse(text, ec);
    EXPECT_FALSE(ec) << text;
    return v;
}

// Every schema inside `v` that has properties (an object schema), the root included.
void EachObject(const json::value& v, const std::function<void(const json::object&)>& f) {
    const auto* o = v.if_object();
    if (!o) return;
    if (o->contains("properties")) f(*o);
    if (const auto* items = o->if_contains("items")) EachObject(*items, f);
    if (const auto* p = o->if_contains("properties"))
        for (const auto& [name, schema] : p->as_object()) EachObject(schema, f);
    if (const auto* any = o->if_contains("anyOf"))
        for (const auto& s : any->as_array()) EachObject(s, f);
}

// OpenAI's strict mode: every property required, no other property allowed, the root an object without anyOf.
void ExpectStrict(const std::string& text) {
    auto schema = Parse(text);
    EXPECT_EQ(schema.at("type"), "object");
    EXPECT_FALSE(schema.as_object().contains("anyOf"));
    int objects = 0;
    EachObject(schema, [&](const json::object& o) {
        ++objects;
        EXPECT_EQ(o.at("additionalProperties"), false);
        std::set<std::string> properties, required;
        for (const auto& [name, s] : o.at("properties").as_object()) properties.insert(std::string(name));
        for (const auto& r : o.at("required").as_array()) required.insert(std::string(r.as_string()));
        EXPECT_EQ(properties, required);
    });
    EXPECT_GE(objects, 4);
}

std::set<std::string> Enum(const json::value& schema) {
    std::set<std::string> out;
    for (const auto& v : schema.at("enum").as_array())
        if (v.is_string()) out.insert(std::string(v.as_string()));
    return out;
}

TEST(Schemas, BothFollowOpenAiStrictMode) {
    ExpectStrict(FlowSchema());
    ExpectStrict(FlowOpsSchema());
}

TEST(Schemas, TheFlowSchemaNamesTheNodeTypesTriggersAndSources) {
    auto flow = Parse(FlowSchema());
    const auto& node = flow.at("properties").at("nodes").at("items").at("properties");
    EXPECT_EQ(Enum(node.at("type")),
              (std::set<std::string>{"start", "screen", "decision", "action", "end", "note", "subflow"}));
    const auto& source = node.at("data").at("properties").at("sources").at("items").at("properties");
    EXPECT_EQ(Enum(source.at("kind")), (std::set<std::string>{"pattern", "document"}));
    EXPECT_EQ(source.at("chunk_id").at("type"), (json::array{"string", "null"}));
    const auto& edge = flow.at("properties").at("edges").at("items").at("properties");
    EXPECT_EQ(Enum(edge.at("trigger")),
              (std::set<std::string>{"click", "submit", "auto", "back", "timeout", "system"}));
    for (const char* key : {"id", "source", "target", "label"}) EXPECT_EQ(edge.at(key).at("type"), "string") << key;
}

TEST(Schemas, TheOpsSchemaNamesEveryOpAndMakesTheirPartsNullable) {
    auto ops = Parse(FlowOpsSchema());
    EXPECT_EQ(ops.at("properties").at("summary").at("type"), "string");
    const auto& op = ops.at("properties").at("ops").at("items").at("properties");
    EXPECT_EQ(Enum(op.at("op")), (std::set<std::string>{"add_node", "update_node", "remove_node", "add_edge",
                                                        "update_edge", "remove_edge", "set_meta"}));
    EXPECT_EQ(op.at("id").at("type"), (json::array{"string", "null"}));
    for (const char* key : {"node", "edge", "set"}) {
        const auto& any = op.at(key).at("anyOf").as_array();
        ASSERT_EQ(any.size(), 2u) << key;
        EXPECT_EQ(any[0].at("type"), "object") << key;
        EXPECT_EQ(any[1], (json::object{{"type", "null"}})) << key;
    }
    const auto& set = op.at("set").at("anyOf").at(0).at("properties");
    for (const char* key : {"label", "type", "data", "source", "target", "trigger", "name", "description"})
        EXPECT_TRUE(set.as_object().contains(key)) << key;
    EXPECT_TRUE(Enum(set.at("trigger")).count("click"));
    EXPECT_TRUE(set.at("trigger").at("enum").as_array().back().is_null());  // strict: null must be in the enum
}

TEST(Schemas, DropNullsRemovesNullMembersAtAnyDepth) {
    EXPECT_EQ(DropNulls(R"({"a":null,"b":[{"c":null,"d":1},null],"e":{"f":null,"g":"x"}})"),
              R"({"b":[{"d":1},null],"e":{"g":"x"}})");
    EXPECT_EQ(DropNulls(R"({"summary":"s","ops":[{"op":"remove_node","id":"n1","node":null,"edge":null,"set":null}]})"),
              R"({"summary":"s","ops":[{"op":"remove_node","id":"n1"}]})");
    EXPECT_EQ(DropNulls("not json {"), "not json {");
}

}  // namespace
}  // namespace uxf::ai
