#include "uxf/flows/ops_json.hpp"

#include <gtest/gtest.h>

namespace uxf::flows {
namespace {

// What OpsToJson writes reads back as the same ops, each kind and each patch field (set, and cleared with null).
TEST(OpsJson, WrittenOpsReadBackTheSame) {
    std::string text =
        R"({"ops":[{"op":"add_node","node":{"id":"n1","type":"decision","label":"Paid?","data":{"k":1},"position":{"x":10,"y":20}}},)"
        R"({"op":"add_edge","edge":{"id":"e9","source":"a","target":"n1","label":"Pay","trigger":"submit","condition":"total > 0"}},)"
        R"({"op":"update_node","id":"a","set":{"label":"Cart","type":"screen","position":null}},)"
        R"({"op":"update_edge","id":"e1","set":{"target":"n1","trigger":null,"condition":null}},)"
        R"({"op":"remove_node","id":"b"},{"op":"remove_edge","id":"e2"},)"
        R"({"op":"set_meta","set":{"name":"Checkout","description":"v2"}}]})";
    auto first = ParseOpsRequest(text, FlowSettings{}, false);
    ASSERT_TRUE(first.ok()) << first.error().message;
    std::string written = OpsToJson(first->ops);
    auto again = ParseOpsRequest("{\"ops\":" + written + "}", FlowSettings{}, false);
    ASSERT_TRUE(again.ok()) << again.error().message << "\n" << written;
    EXPECT_EQ(OpsToJson(again->ops), written);
    ASSERT_EQ(again->ops.size(), 7u);
    EXPECT_EQ(again->ops[0].node.position, (Position{10, 20}));
    EXPECT_EQ(again->ops[1].edge.condition, "total > 0");
    ASSERT_TRUE(again->ops[2].node_set.position.has_value());
    EXPECT_FALSE(again->ops[2].node_set.position->has_value());  // null: the position is removed
    ASSERT_TRUE(again->ops[3].edge_set.trigger.has_value());
    EXPECT_FALSE(again->ops[3].edge_set.trigger->has_value());
    EXPECT_EQ(again->ops[6].name, "Checkout");
}

TEST(OpsJson, BaseVersionIsReadOnlyWhenAsked) {
    EXPECT_FALSE(ParseOpsRequest(R"({"ops":[{"op":"remove_node","id":"a"}]})", FlowSettings{}, true).ok());
    EXPECT_TRUE(ParseOpsRequest(R"({"ops":[{"op":"remove_node","id":"a"}]})", FlowSettings{}, false).ok());
    EXPECT_FALSE(ParseOpsRequest("[1]", FlowSettings{}, false).ok());
}

}  // namespace
}  // namespace uxf::flows
