#include "graph_codec.hpp"

#include <gtest/gtest.h>

#include <random>

#include <boost/json.hpp>

#include "uxf/flows/flow_json.hpp"
#include "uxf/flows/testing/random_flows.hpp"
#include "uxf/platform/json_text.hpp"

namespace uxf::flows {
namespace {

using testing::HostileFlow;
using testing::RandomFlow;
namespace json = boost::json;

// The reference: the graph built as a Boost.JSON DOM (how it was written before the streaming writer).
json::value GraphValue(const std::vector<Node>& nodes, const std::vector<Edge>& edges) {
    json::array ns;
    ns.reserve(nodes.size());
    for (const auto& n : nodes) {
        json::object o{{"id", n.id}, {"type", NodeTypeName(n.type)}, {"label", n.label}, {"data", json::parse(n.data)}};
        if (n.position) o["position"] = json::object{{"x", n.position->x}, {"y", n.position->y}};
        ns.push_back(std::move(o));
    }
    json::array es;
    es.reserve(edges.size());
    for (const auto& e : edges) {
        json::object o{{"id", e.id}, {"source", e.source}, {"target", e.target}, {"label", e.label}};
        o["trigger"] = e.trigger ? json::value(TriggerName(*e.trigger)) : json::value(nullptr);
        o["condition"] = e.condition ? json::value(*e.condition) : json::value(nullptr);
        es.push_back(std::move(o));
    }
    return json::object{{"nodes", std::move(ns)}, {"edges", std::move(es)}};
}

// The streaming writer is what the DOM would serialize to, byte for byte, and reads back to the same graph.
TEST(GraphCodec, StreamingWriterMatchesTheDomAndRoundTrips) {
    std::mt19937 rng(2026);
    for (int i = 0; i < 200; ++i) {
        FlowDraft d = i % 2 ? RandomFlow(rng, i % 3 == 0) : HostileFlow(rng);
        std::string text = EncodeGraph(d.nodes, d.edges);
        ASSERT_EQ(text, json_text::Write(GraphValue(d.nodes, d.edges))) << i;
        std::vector<Node> nodes;
        std::vector<Edge> edges;
        DecodeGraph(text, nodes, edges);
        EXPECT_EQ(nodes, d.nodes) << i;
        EXPECT_EQ(edges, d.edges) << i;
    }
}

TEST(GraphCodec, TheApiDocumentIsValidJsonWithTheFlowsFields) {
    std::mt19937 rng(7);
    Flow f{"flw_1", "wsp_1", "Name \"quoted\"", "line\nbreak", 3, {}, {}, 1'700'000'000'000'000, 1'700'000'100'000'000,
           "usr_a", "usr_b"};
    FlowDraft d = HostileFlow(rng);
    f.nodes = d.nodes;
    f.edges = d.edges;
    auto doc = boost::json::parse(FlowToJson(f)).as_object();
    EXPECT_EQ(doc.at("name").as_string(), "Name \"quoted\"");
    EXPECT_EQ(doc.at("description").as_string(), "line\nbreak");
    EXPECT_EQ(doc.at("version").as_int64(), 3);
    EXPECT_EQ(doc.at("nodes").as_array().size(), f.nodes.size());
    EXPECT_EQ(doc.at("edges").as_array().size(), f.edges.size());
    EXPECT_EQ(doc.at("updated_by").as_string(), "usr_b");
}

}  // namespace
}  // namespace uxf::flows
