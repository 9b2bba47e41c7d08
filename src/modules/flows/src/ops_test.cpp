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

TEST(Ops, ParseAndApplyEveryKind) {
    auto req = ParseOpsDocument(R"({"base_version":3,"ops":[
        {"op":"add_node","node":{"id":"d","type":"decision","label":"D?"}},
        {"op":"update_node","id":"b","set":{"label":"B2","position":{"x":1,"y":2},"data":{"k":1}}},
        {"op":"add_edge","edge":{"id":"bd","source":"b","target":"d","trigger":"submit"}},
        {"op":"update_edge","id":"bc","set":{"label":"next","condition":"ok","trigger":null}},
        {"op":"remove_edge","id":"ab"},
        {"op":"set_meta","set":{"name":"F2","description":"d"}}]})",
                                kLimits);
    ASSERT_TRUE(req.ok()) << req.error().message;
    EXPECT_EQ(req->base_version, 3);
    ASSERT_EQ(req->ops.size(), 6u);
    auto out = ApplyOps(Base(), req->ops, kLimits);
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(out->name, "F2");
    EXPECT_EQ(out->nodes.size(), 4u);
    EXPECT_EQ(out->nodes[1].label, "B2");
    EXPECT_EQ(out->nodes[1].data, R"({"k":1})");
    EXPECT_EQ(out->nodes[1].position, (Position{1, 2}));
    ASSERT_EQ(out->edges.size(), 2u);
    EXPECT_EQ(out->edges[0].id, "bc");
    EXPECT_EQ(out->edges[0].condition, "ok");
    EXPECT_EQ(out->edges[1].trigger, Trigger::kSubmit);
}

TEST(Ops, PatchNullsClearAndBadPatchFieldsAreNamed) {
    FlowDraft base = Base();
    base.nodes[1].position = Position{5, 6};
    base.nodes[1].data = R"({"k":1})";
    auto req = ParseOpsDocument(
        R"({"base_version":1,"ops":[{"op":"update_node","id":"b","set":{"position":null,"data":null}}]})", kLimits);
    ASSERT_TRUE(req.ok());
    auto out = ApplyOps(base, req->ops, kLimits);
    ASSERT_TRUE(out.ok());
    EXPECT_FALSE(out->nodes[1].position);
    EXPECT_EQ(out->nodes[1].data, "{}");
    EXPECT_EQ(out->nodes[1].label, "B");  // untouched
    auto bad = ParseOpsDocument(R"({"base_version":1,"ops":[{"op":"update_node","id":"b",
        "set":{"type":"portal","position":{"x":"1"},"data":[1]}}]})",
                                kLimits);
    ASSERT_FALSE(bad.ok());
    std::string all;
    for (const auto& e : bad.error().errors) all += e.field + ";";
    EXPECT_EQ(all, "ops[0].set.type;ops[0].set.data;ops[0].set.position;");
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

TEST(Ops, ParseErrorsNameTheOp) {
    auto r = ParseOpsDocument(R"({"base_version":0,"ops":[{"op":"explode"},{"op":"update_node","set":{}},
        {"op":"add_node","node":{"type":"blob"}},{"op":"update_edge","id":"x","set":{"trigger":"hover"}}]})",
                              kLimits);
    ASSERT_FALSE(r.ok());
    std::string all;
    for (const auto& e : r.error().errors) all += e.field + ";";
    for (const char* f : {"base_version;", "ops[0].op;", "ops[1].id;", "ops[2].node.type;", "ops[3].set.trigger;"})
        EXPECT_NE(all.find(f), std::string::npos) << f << " in " << all;
    EXPECT_FALSE(ParseOpsDocument(R"({"base_version":1,"ops":[]})", kLimits).ok());
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
