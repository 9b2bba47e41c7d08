#include <gtest/gtest.h>

#include "uxf/flows/ops.hpp"

namespace uxf::flows {
namespace {

const FlowSettings kLimits{};

FlowDraft Base() {
    return {"F",
            "",
            {{"a", NodeType::kStart, "A"}, {"b", NodeType::kScreen, "B"}, {"c", NodeType::kEnd, "C"}},
            {{"ab", "a", "b"}, {"bc", "b", "c"}}};
}

TEST(Ops, PatchesSetWhatTheyNameAndNullsClear) {
    FlowDraft base = Base();
    base.nodes[1].position = Position{5, 6};
    base.nodes[1].data = R"({"k":1})";
    Op clear{Op::Kind::kUpdateNode, "b"};
    clear.node_set.position = std::optional<Position>();
    clear.node_set.data = "{}";
    Op edge{Op::Kind::kUpdateEdge, "bc"};
    edge.edge_set.label = "next";
    edge.edge_set.trigger = Trigger::kSubmit;
    edge.edge_set.condition = std::optional<std::string>("ok");
    Op meta{Op::Kind::kSetMeta};
    meta.description = "d";
    auto out = ApplyOps(base, {clear, edge, meta}, kLimits);
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_FALSE(out->nodes[1].position);
    EXPECT_EQ(out->nodes[1].data, "{}");
    EXPECT_EQ(out->nodes[1].label, "B");  // untouched
    EXPECT_EQ(out->edges[1].label, "next");
    EXPECT_EQ(out->edges[1].trigger, Trigger::kSubmit);
    EXPECT_EQ(out->edges[1].condition, "ok");
    EXPECT_EQ(out->name, "F");
    EXPECT_EQ(out->description, "d");
}

TEST(Ops, RemovingANodeTakesItsEdges) {
    Op rm{Op::Kind::kRemoveNode, "b"};
    auto out = ApplyOps(Base(), {rm}, kLimits);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(out->nodes.size(), 2u);
    EXPECT_TRUE(out->edges.empty());
}

TEST(Ops, AllOrNothing) {
    Op add{Op::Kind::kAddNode};
    add.node = {"x", NodeType::kScreen, "X"};
    Op bad{Op::Kind::kUpdateNode, "ghost"};
    auto out = ApplyOps(Base(), {add, bad}, kLimits);
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().errors.at(0).field, "ops[1]");
    Op dangling{Op::Kind::kAddEdge};
    dangling.edge = {"e", "a", "nowhere"};
    EXPECT_FALSE(ApplyOps(Base(), {dangling}, kLimits).ok());
    Op dup{Op::Kind::kAddNode};
    dup.node = {"a", NodeType::kScreen, ""};
    EXPECT_FALSE(ApplyOps(Base(), {dup}, kLimits).ok());
    FlowSettings tiny;
    tiny.max_nodes = 3;
    EXPECT_EQ(ApplyOps(Base(), {add}, tiny).error().code, ErrorCode::kLimitExceeded);
}

TEST(Ops, TouchedAndChangedIds) {
    Op edge{Op::Kind::kAddEdge};
    edge.edge = {"e9", "a", "c"};
    Op meta{Op::Kind::kSetMeta};
    meta.name = "N";
    EXPECT_EQ(TouchedBy({edge, meta}, Base()), (std::vector<std::string>{"edge:e9", "meta:name", "node:a", "node:c"}));
    EXPECT_EQ(TouchedBy({Op{Op::Kind::kRemoveNode, "b"}}, Base()),
              (std::vector<std::string>{"edge:ab", "edge:bc", "node:b"}));
    FlowDraft after = Base();
    after.nodes[1].label = "changed";
    after.edges.pop_back();
    EXPECT_EQ(ChangedIn(Diff(Base(), after)), (std::vector<std::string>{"edge:bc", "node:b"}));
}

}  // namespace
}  // namespace uxf::flows
