// Ops and batch bodies: read strictly, every problem named where it is, nodes and edges by the document's rules.
#include "flow_json.hpp"

#include <gtest/gtest.h>

namespace uxf::gateway {
namespace {

using namespace flows;
const FlowSettings kLimits{};

// Every field error's field, one per line.
template <class T>
std::string Fields(const Result<T>& r) {
    if (r.ok()) return "(ok)";
    std::string out;
    for (const auto& e : r.error().errors) out += e.field + "\n";
    return out;
}

FlowDraft Base() {
    return {"F",
            "",
            {{"a", NodeType::kStart, "A"}, {"b", NodeType::kScreen, "B"}, {"c", NodeType::kEnd, "C"}},
            {{"ab", "a", "b"}, {"bc", "b", "c"}}};
}

TEST(OpsBody, ReadsAndAppliesEveryKind) {
    auto req = ReadOpsBody(R"({"base_version":3,"ops":[
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
    EXPECT_FALSE(out->edges[0].trigger);
    EXPECT_EQ(out->edges[1].trigger, Trigger::kSubmit);
}

TEST(OpsBody, PatchNullsClearAndBadPatchFieldsAreNamed) {
    FlowDraft base = Base();
    base.nodes[1].position = Position{5, 6};
    base.nodes[1].data = R"({"k":1})";
    auto req = ReadOpsBody(
        R"({"base_version":1,"ops":[{"op":"update_node","id":"b","set":{"position":null,"data":null}}]})", kLimits);
    ASSERT_TRUE(req.ok());
    auto out = ApplyOps(base, req->ops, kLimits);
    ASSERT_TRUE(out.ok());
    EXPECT_FALSE(out->nodes[1].position);
    EXPECT_EQ(out->nodes[1].data, "{}");
    EXPECT_EQ(out->nodes[1].label, "B");  // untouched
    auto bad = ReadOpsBody(R"({"base_version":1,"ops":[{"op":"update_node","id":"b",
        "set":{"type":"portal","position":{"x":"1"},"data":[1]}}]})",
                           kLimits);
    EXPECT_EQ(Fields(bad), "ops[0].set.type\nops[0].set.data\nops[0].set.position\n");
}

TEST(OpsBody, ErrorsNameTheOp) {
    auto r = ReadOpsBody(R"({"base_version":0,"ops":[{"op":"explode"},{"op":"update_node","set":{}},
        {"op":"add_node","node":{"type":"blob"}},{"op":"update_edge","id":"x","set":{"trigger":"hover"}},
        {"op":"add_edge"},7,{"op":"remove_node","id":"a b"}]})",
                         kLimits);
    EXPECT_EQ(Fields(r),
              "base_version\nops[0].op\nops[1].id\nops[2].node.type\nops[3].set.trigger\nops[4].edge\nops[5]\n"
              "ops[6].id\n");
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(Fields(ReadOpsBody(R"({"base_version":1,"ops":[]})", kLimits)), "ops\n");
    EXPECT_EQ(ReadOpsBody("[1]", kLimits).error().slug, "invalid_json");
    EXPECT_EQ(ReadOpsBody(R"({"base_version":1,"ops":[)", kLimits).error().slug, "invalid_json");
    FlowSettings tiny;
    tiny.max_nodes = 1;
    tiny.max_edges = 0;
    auto many =
        ReadOpsBody(R"({"base_version":1,"ops":[{"op":"remove_node","id":"a"},{"op":"remove_node","id":"b"}]})", tiny);
    EXPECT_EQ(many.error().code, ErrorCode::kLimitExceeded);
}

TEST(OpsBody, TextAndNumbersFollowTheInputRules) {
    auto r = ReadOpsBody(R"({"base_version":1,"ops":[
        {"op":"update_node","id":"a","set":{"label":"x\u0000","position":{"x":"1","y":2}}},
        {"op":"update_node","id":"a","set":{"position":{"x":1e300,"y":2}}},
        {"op":"update_edge","id":"e","set":{"label":"\u001f","condition":"\u007f"}},
        {"op":"add_node","node":{"type":"screen","label":"\u0008"}},
        {"op":"add_edge","edge":{"source":"a","target":"b","condition":"\u0000"}},
        {"op":"set_meta","set":{"name":"n\nm","description":"\u0000"}},
        {"op":"update_node","id":"a","set":{"data":{"x":1e400}}},
        {"op":"update_node","id":"a","set":{"position":{"x":1e315,"y":2}}}]})",
                         kLimits);
    EXPECT_EQ(Fields(r),
              "ops[0].set.label\nops[0].set.position\nops[1].set.position\nops[2].set.label\nops[2].set.condition\n"
              "ops[3].node.label\nops[4].edge.condition\nops[5].set.name\nops[5].set.description\nops[6].set.data\n"
              "ops[7].set.position\n");
}

TEST(BatchBody, ItemsCarryTheirOwnErrorsNamedInTheBatch) {
    auto r = ReadBatchBody(R"({"atomic":true,"operations":[
        {"op":"create","flow":{"name":"ok","nodes":[{"id":"a","type":"start","label":"\u0000"}]}},
        {"op":"create","flow":{"name":"fine"}},
        {"op":"update","id":"flw_1","version":2,"flow":{"name":"x","edges":[{"source":"a","target":"b"}]}},
        {"op":"delete"},{"op":"rename","id":"x"},"no",{"op":"update","id":"f","version":0},{"op":"update","id":"f"},
        {"op":"delete","id":"flw_2"}]})",
                           kLimits);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(r->atomic);
    ASSERT_EQ(r->items.size(), 9u);
    std::string fields;
    for (const auto& item : r->items) fields += Fields(item);
    EXPECT_EQ(fields,
              "operations[0].flow.nodes[0].label\n(ok)operations[2].flow.edges[0].source\n"
              "operations[2].flow.edges[0].target\noperations[3].id\noperations[4].op\noperations[5]\n"
              "operations[6].version\noperations[7].flow\n(ok)");
    EXPECT_EQ(r->items[1]->draft.name, "fine");
    EXPECT_EQ(r->items[8]->kind, BatchOp::Kind::kDelete);
    EXPECT_EQ(r->items[8]->id, "flw_2");
    EXPECT_EQ(Fields(ReadBatchBody(R"({"operations":[],"atomic":1})", kLimits)), "atomic\n");
    EXPECT_EQ(Fields(ReadBatchBody(R"({"operations":[]})", kLimits)), "operations\n");
    auto big = ReadBatchBody(R"({"operations":[{"op":"delete","id":"a"},{"op":"delete","id":"b"}]})", kLimits, 1);
    EXPECT_EQ(big.error().code, ErrorCode::kLimitExceeded);
}

}  // namespace
}  // namespace uxf::gateway
