#include <gtest/gtest.h>

#include "graph_codec.hpp"
#include "uxf/flows/flow_json.hpp"
#include "uxf/flows/ops.hpp"

namespace uxf::flows {
namespace {

const FlowSettings kLimits{};

TEST(FlowJson, ParsesTheApiShape) {
    auto draft = ParseFlowDocument(R"({"name":"Checkout","description":"pay",
        "nodes":[{"id":"cart","type":"screen","label":"Cart","data":{"k":[1,2]},"position":{"x":1.5,"y":-2}},
                 {"id":"pay","type":"action","label":"Pay"},{"type":"end"}],
        "edges":[{"id":"e1","source":"cart","target":"pay","label":"Checkout","trigger":"click","condition":null},
                 {"source":"pay","target":"cart","trigger":"back","condition":"declined"}],
        "id":"flw_ignored","version":99})",
                                   kLimits);
    ASSERT_TRUE(draft.ok()) << draft.error().message;
    EXPECT_EQ(draft->name, "Checkout");
    ASSERT_EQ(draft->nodes.size(), 3u);
    EXPECT_EQ(draft->nodes[0].data, R"({"k":[1,2]})");
    EXPECT_EQ(draft->nodes[0].position, (Position{1.5, -2}));
    EXPECT_TRUE(draft->nodes[2].id.starts_with("n_"));  // generated
    EXPECT_EQ(draft->nodes[2].type, NodeType::kEnd);
    EXPECT_EQ(draft->edges[0].trigger, Trigger::kClick);
    EXPECT_FALSE(draft->edges[0].condition);
    EXPECT_TRUE(draft->edges[1].id.starts_with("e_"));
    EXPECT_EQ(draft->edges[1].condition, "declined");
}

TEST(FlowJson, ReportsEveryFieldError) {
    auto r = ParseFlowDocument(R"({"name":5,"nodes":[{"id":"a","type":"screen"},{"id":"a","type":"wizard"},
        {"id":"bad id!","type":"end","data":[1]},7],"edges":[{"source":"a","target":"zzz","trigger":"hover"}]})",
                               kLimits);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
    std::vector<std::string> fields;
    for (const auto& e : r.error().errors) fields.push_back(e.field);
    for (const char* f : {"name", "nodes[1].type", "nodes[2].id", "nodes[2].data", "nodes[3]", "edges[0].trigger"})
        EXPECT_NE(std::find(fields.begin(), fields.end(), f), fields.end()) << f;
}

TEST(FlowJson, RefusesDuplicateIdsAndDanglingEdges) {
    auto r = ParseFlowDocument(R"({"name":"x","nodes":[{"id":"a","type":"start"},{"id":"a","type":"end"}],
        "edges":[{"id":"e","source":"a","target":"b"},{"id":"e","source":"a","target":"a"}]})",
                               kLimits);
    ASSERT_FALSE(r.ok());
    std::string all;
    for (const auto& e : r.error().errors) all += e.field + ": " + e.message + "\n";
    EXPECT_NE(all.find("nodes[1].id: duplicate node id \"a\""), std::string::npos) << all;
    EXPECT_NE(all.find("edges[1].id: duplicate edge id \"e\""), std::string::npos) << all;
    EXPECT_NE(all.find("edges[0].target: no node has id \"b\""), std::string::npos) << all;
}

TEST(FlowJson, AnEdgeEndIsNeverEmpty) {
    // Found by fuzz/flow_document: "" passed as a source or target (it named no node, yet was not checked).
    auto r = ParseFlowDocument(R"({"name":"x","nodes":[{"id":"a","type":"start"}],
        "edges":[{"source":"a","target":""},{"source":"","target":"a"}]})",
                               kLimits);
    ASSERT_FALSE(r.ok());
    std::string all;
    for (const auto& e : r.error().errors) all += e.field + ": " + e.message + "\n";
    EXPECT_EQ(all, "edges[0].target: is required\nedges[1].source: is required\n");
    FlowDraft d{"x", "", {{"a", NodeType::kStart, "A"}}, {{"e", "a", ""}}};
    EXPECT_EQ(CheckDraft(d, kLimits).error().errors.at(0).field, "edges[0].target");
}

TEST(FlowJson, DataNumbersAreFinite) {
    // Found by fuzz/flow_document: 1e999 in `data` became infinity, which Boost.JSON writes back as text it cannot
    // read, so storing the flow (and its JSON export) failed with an exception: a 500.
    auto r =
        ParseFlowDocument(R"({"name":"x","nodes":[{"id":"a","type":"start","data":{"k":[1,{"d":-1e999}]}}]})", kLimits);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(r.error().errors.at(0).field, "nodes[0].data");
    auto fine = ParseFlowDocument(
        R"({"name":"x","nodes":[{"id":"a","type":"start","data":{"k":1.7976931348623157e308}}]})", kLimits);
    ASSERT_TRUE(fine.ok());
    Flow f{"flw_1", "wsp_1", "x", "", 1, fine->nodes, {}, 0, 0, "u", "u"};
    EXPECT_TRUE(ParseFlowDocument(FlowToJson(f), kLimits).ok());  // what is accepted is written back readably
}

TEST(FlowJson, LongNumbersDoNotChangeWhenReadBack) {
    // Found by fuzz/ops_batch: Boost.JSON 1.81 reads 1333...3 (114 digits) as a double whose shortest text reads
    // back as the next double, so the stored flow changed when read back and saved again.
    std::string digits(114, '3');
    digits[0] = '1';
    auto d = ParseFlowDocument(R"({"name":"x","nodes":[{"id":"a","type":"start","data":{"k":)" + digits +
                                   R"(},"position":{"x":1.2345678901234567e-300,"y":1}}]})",
                               kLimits);
    ASSERT_TRUE(d.ok()) << d.error().message;
    Flow f{"flw_1", "wsp_1", "x", "", 1, d->nodes, {}, 0, 0, "u", "u"};
    auto again = ParseFlowDocument(FlowToJson(f), kLimits);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->nodes[0].data, d->nodes[0].data);
    EXPECT_EQ(again->nodes[0].position, d->nodes[0].position);
}

TEST(FlowJson, RefusesNonObjectsAndMissingName) {
    EXPECT_EQ(ParseFlowDocument("[]", kLimits).error().slug, "invalid_json");
    EXPECT_EQ(ParseFlowDocument("{oops", kLimits).error().slug, "invalid_json");
    EXPECT_EQ(ParseFlowDocument(R"({"nodes":[]})", kLimits).error().errors.at(0).field, "name");
    EXPECT_EQ(ParseFlowDocument(R"({"name":"   "})", kLimits).error().errors.at(0).field, "name");
    EXPECT_EQ(ParseFlowDocument(R"({"name":"x","nodes":{}})", kLimits).error().errors.at(0).field, "nodes");
}

TEST(FlowJson, LimitsAnswer422NamingTheLimit) {
    FlowSettings small;
    small.max_nodes = 2;
    small.max_data_bytes = 10;
    auto many = ParseFlowDocument(R"({"name":"x","nodes":[{"type":"start"},{"type":"screen"},{"type":"end"}]})", small);
    ASSERT_FALSE(many.ok());
    EXPECT_EQ(many.error().code, ErrorCode::kLimitExceeded);
    EXPECT_NE(many.error().message.find("max_nodes_per_flow"), std::string::npos);
    auto data = ParseFlowDocument(R"({"name":"x","nodes":[{"type":"start","data":{"long":"0123456789"}}]})", small);
    EXPECT_EQ(data.error().code, ErrorCode::kLimitExceeded);
    FlowSettings labels;
    labels.max_label_chars = 3;
    EXPECT_EQ(ParseFlowDocument(R"({"name":"x","nodes":[{"type":"start","label":"abcd"}]})", labels).error().code,
              ErrorCode::kInvalidInput);
}

TEST(FlowJson, DocumentRoundTripsThroughStorageAndBack) {
    auto draft = ParseFlowDocument(R"({"name":"R","nodes":[{"id":"a","type":"start","data":{"x":{"y":null}}},
        {"id":"b","type":"decision","label":"Ok?","position":{"x":3,"y":4}}],
        "edges":[{"id":"e","source":"a","target":"b","label":"go","trigger":"auto","condition":"c"}]})",
                                   kLimits);
    ASSERT_TRUE(draft.ok());
    Flow f{"flw_1", "wsp_1", draft->name, "", 4, draft->nodes, draft->edges, 0, 0, "usr_1", "usr_1"};
    auto again = ParseFlowDocument(FlowToJson(f), kLimits);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->nodes, draft->nodes);
    EXPECT_EQ(again->edges, draft->edges);
    std::vector<Node> nodes;
    std::vector<Edge> edges;
    DecodeGraph(EncodeGraph(draft->nodes, draft->edges), nodes, edges);
    EXPECT_EQ(nodes, draft->nodes);
    EXPECT_EQ(edges, draft->edges);
    EXPECT_THROW(DecodeGraph("{\"nodes\":3}", nodes, edges), std::runtime_error);
}

}  // namespace
}  // namespace uxf::flows
