#include <gtest/gtest.h>

#include <random>

#include "uxf/flows/export.hpp"
#include "uxf/flows/flow_json.hpp"
#include "uxf/flows/import.hpp"
#include "uxf/flows/testing/random_flows.hpp"
#include "uxf/platform/graphviz.hpp"

namespace uxf::flows {
namespace {

const FlowSettings kLimits{};

TEST(MermaidImport, ShapesChainsLabelsAndComments) {
    auto d = ParseMermaid(R"(%% Password reset
graph TD
  A([Start]) --> B[Enter e-mail] -->|submit| C{Known?}
  C -- yes --> D(Send mail); C -- no --> B
  D -.-> E((Done))
  %% a comment
  B & C --> F>"Note: rate limited"]
  subgraph tail [Mail]
    G[[Mailer]]
  end
  style A fill:#fff
)",
                          kLimits);
    ASSERT_TRUE(d.ok()) << d.error().errors.at(0).field << ": " << d.error().errors.at(0).message;
    EXPECT_EQ(d->name, "Password reset");
    std::map<std::string, Node> n;
    for (const auto& x : d->nodes) n[x.id] = x;
    EXPECT_EQ(n["A"].type, NodeType::kStart);  // stadium without incoming edges
    EXPECT_EQ(n["E"].type, NodeType::kEnd);    // circle with one
    EXPECT_EQ(n["B"].type, NodeType::kScreen);
    EXPECT_EQ(n["B"].label, "Enter e-mail");
    EXPECT_EQ(n["C"].type, NodeType::kDecision);
    EXPECT_EQ(n["D"].type, NodeType::kAction);
    EXPECT_EQ(n["F"].type, NodeType::kNote);
    EXPECT_EQ(n["F"].label, "Note: rate limited");
    EXPECT_EQ(n["G"].type, NodeType::kSubflow);
    EXPECT_EQ(n["subgraph_1"].label, "Group: Mail");
    std::set<std::string> edges;
    for (const auto& e : d->edges) edges.insert(e.source + ">" + e.target + ":" + e.label);
    for (const char* e : {"A>B:", "B>C:submit", "C>D:yes", "C>B:no", "D>E:", "B>F:", "C>F:"})
        EXPECT_TRUE(edges.contains(e)) << e;
    EXPECT_EQ(d->edges.size(), 7u);
}

TEST(MermaidImport, ErrorsNameTheLine) {
    auto bad = ParseMermaid("flowchart LR\n  A --> B\n  C[unclosed --> D\n", kLimits);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().errors.at(0).field, "content:3");
    EXPECT_EQ(ParseMermaid("sequenceDiagram\n A->>B: hi", kLimits).error().errors.at(0).field, "content:1");
    EXPECT_FALSE(ParseMermaid("", kLimits).ok());
}

TEST(MermaidImport, IdsThatStartWithAKeywordAreNodes) {
    // Found by fuzz/mermaid_import: the export writes a node `subgraph_1` as `subgraph__1>"..."]`, which was read
    // back as a subgraph statement; `classA` or `styles` likewise. A bare `class` is an error naming its line.
    auto d = ParseMermaid(
        "flowchart LR\n  subgraph__1>\"Group\"] --> classA[A]\n  styles --> clicked\n  endless --> direction1\n",
        kLimits);
    ASSERT_TRUE(d.ok()) << d.error().errors.at(0).field << ": " << d.error().errors.at(0).message;
    std::vector<std::string> ids;
    for (const auto& n : d->nodes) ids.push_back(n.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"subgraph_1", "classA", "styles", "clicked", "endless", "direction1"}));
    EXPECT_EQ(d->nodes[0].type, NodeType::kNote);
    EXPECT_EQ(d->edges.size(), 3u);
    auto bare = ParseMermaid("flowchart LR\n  a --> b\n  class\n", kLimits);
    ASSERT_FALSE(bare.ok());
    EXPECT_EQ(bare.error().errors.at(0).field, "content:3");
    // Keywords still work, with tabs too.
    auto kw = ParseMermaid("flowchart LR\n  a --> b\n  class\ta,b\tuxf_note\n  style a fill:#fff\n", kLimits);
    ASSERT_TRUE(kw.ok());
    EXPECT_EQ(kw->nodes[0].type, NodeType::kNote);
    EXPECT_EQ(kw->nodes.size(), 2u);
}

TEST(MermaidImport, EntitiesDecodeOnceSoTypedEntitiesSurvive) {
    // Found by fuzz/flow_document: a label holding the text `#amp;` (exported as `#35;amp;`) came back as `&`.
    FlowDraft d{"F", "", {{"a", NodeType::kStart, "#amp; #lt;b#gt; #quot; <br> #35;"}}, {{"e", "a", "a", "#124;"}}};
    auto back = ParseMermaid(ToMermaid(d), kLimits);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->nodes[0].label, d.nodes[0].label);
    EXPECT_EQ(back->edges[0].label, "#124;");
    EXPECT_EQ(ParseMermaid("flowchart LR\n  a[\"#35;amp; #amp;\"]\n", kLimits)->nodes[0].label, "#amp; &");
}

TEST(DrawioImport, ReadsAHandDrawnDiagram) {
    auto d = ParseDrawio(R"(<mxfile><diagram name="Drawn"><mxGraphModel><root>
        <mxCell id="0"/><mxCell id="1" parent="0"/>
        <mxCell id="a" value="Begin" style="ellipse;whiteSpace=wrap;html=1;" vertex="1" parent="1"><mxGeometry x="10" y="20" width="80" height="80" as="geometry"/></mxCell>
        <mxCell id="b" value="&lt;b&gt;Pick&lt;/b&gt;&lt;br&gt;plan" style="rounded=0;html=1;" vertex="1" parent="1"><mxGeometry x="200" y="20" width="120" height="60" as="geometry"/></mxCell>
        <mxCell id="c" value="Paid?" style="rhombus;" vertex="1" parent="1"><mxGeometry x="400" y="20" width="80" height="80" as="geometry"/></mxCell>
        <mxCell id="d" value="Bye" style="ellipse;" vertex="1" parent="1"><mxGeometry x="600" y="20" width="80" height="80" as="geometry"/></mxCell>
        <mxCell id="t" value="free text" style="text;html=1;" vertex="1" parent="1"><mxGeometry as="geometry"/></mxCell>
        <mxCell id="x1" value="go" style="endArrow=classic;" edge="1" parent="1" source="a" target="b"><mxGeometry relative="1" as="geometry"/></mxCell>
        <mxCell id="x2" edge="1" parent="1" source="b" target="c"><mxGeometry relative="1" as="geometry"/></mxCell>
        <mxCell id="x3" value="yes" edge="1" parent="1" source="c" target="d"><mxGeometry relative="1" as="geometry"/></mxCell>
        <mxCell id="x4" edge="1" parent="1" source="c"><mxGeometry relative="1" as="geometry"/></mxCell>
      </root></mxGraphModel></diagram></mxfile>)",
                         kLimits);
    ASSERT_TRUE(d.ok()) << d.error().message;
    EXPECT_EQ(d->name, "Drawn");
    ASSERT_EQ(d->nodes.size(), 4u);  // the text cell is decoration
    EXPECT_EQ(d->nodes[0].type, NodeType::kStart);
    EXPECT_EQ(d->nodes[1].label, "Pick\nplan");
    EXPECT_EQ(d->nodes[2].type, NodeType::kDecision);
    EXPECT_EQ(d->nodes[3].type, NodeType::kEnd);
    EXPECT_EQ(d->nodes[1].position, (Position{200, 20}));
    EXPECT_EQ(d->edges.size(), 3u);  // the loose connector is dropped
}

TEST(DrawioImport, RenamedIdsNeverRepeatATakenOne) {
    // Cell "bad id" needs a new id; "n2" is taken by the first cell (a count of used ids gave "n2" again, and the
    // file was refused as holding a duplicate id). The same for edges.
    auto d = ParseDrawio(R"(<mxGraphModel><root>
        <mxCell id="n2" value="A" vertex="1"/><mxCell id="bad id" value="B" vertex="1"/>
        <mxCell id="e2" edge="1" source="n2" target="bad id"/><mxCell id="bad edge" edge="1" source="bad id" target="n2"/>
      </root></mxGraphModel>)",
                         kLimits);
    ASSERT_TRUE(d.ok()) << d.error().errors.at(0).field << ": " << d.error().errors.at(0).message;
    ASSERT_EQ(d->nodes.size(), 2u);
    EXPECT_EQ(d->nodes[0].id, "n2");
    EXPECT_EQ(d->nodes[1].id, "n3");
    ASSERT_EQ(d->edges.size(), 2u);
    EXPECT_EQ(d->edges[0].id, "e2");
    EXPECT_EQ(d->edges[1].id, "e3");
    EXPECT_EQ(d->edges[1].source, "n3");
}

TEST(DrawioImport, RefusesBrokenAndCompressedFiles) {
    EXPECT_FALSE(ParseDrawio("<mxfile><diagram>", kLimits).ok());
    auto compressed = ParseDrawio("<mxfile><diagram name=\"x\">7ZZNb6MwEIZ/DcdI2IQ...</diagram></mxfile>", kLimits);
    ASSERT_FALSE(compressed.ok());
    EXPECT_NE(compressed.error().message.find("compressed"), std::string::npos);
}

// Property: export then import gives back the same graph, on generated flows.
using testing::RandomFlow;

std::multiset<std::string> EdgeSet(const FlowDraft& d) {
    std::multiset<std::string> out;
    for (const auto& e : d.edges) out.insert(e.source + " -> " + e.target + " : " + e.label);
    return out;
}

TEST(RoundTrip, JsonIsLossless) {
    std::mt19937 rng(99);
    for (int round = 0; round < 200; ++round) {
        FlowDraft d = RandomFlow(rng, round % 2 == 0);
        // `data` is kept as compact JSON; numbers are written as Boost.JSON writes them, so use integers here.
        for (auto& n : d.nodes) n.data = R"({"id":")" + n.id + R"(","n":[1,-2,null,true],"o":{"k":"v"}})";
        for (auto& e : d.edges) {
            e.trigger = static_cast<Trigger>(rng() % 6);
            if (rng() % 2) e.condition = "c" + e.id;
        }
        Flow f{"flw_x", "wsp_x", d.name, "desc", 3, d.nodes, d.edges, 0, 0, "", ""};
        auto back = ParseFlowDocument(FlowToJson(f), kLimits);
        ASSERT_TRUE(back.ok()) << back.error().message;
        EXPECT_EQ(back->name, d.name);
        EXPECT_EQ(back->description, "desc");
        EXPECT_EQ(back->nodes, d.nodes);
        EXPECT_EQ(back->edges, d.edges);
    }
}

TEST(RoundTrip, MermaidKeepsNodesTypesLabelsAndEdges) {
    std::mt19937 rng(20261122);
    for (int round = 0; round < 200; ++round) {
        FlowDraft d = RandomFlow(rng, false);
        auto back = ParseMermaid(ToMermaid(d), kLimits);
        ASSERT_TRUE(back.ok()) << ToMermaid(d) << "\n"
                               << back.error().errors.at(0).field << " " << back.error().errors.at(0).message;
        ASSERT_EQ(back->nodes.size(), d.nodes.size()) << ToMermaid(d);
        for (std::size_t i = 0; i < d.nodes.size(); ++i) {
            EXPECT_EQ(back->nodes[i].id, d.nodes[i].id);
            EXPECT_EQ(back->nodes[i].type, d.nodes[i].type) << d.nodes[i].id;
            EXPECT_EQ(back->nodes[i].label, d.nodes[i].label);
        }
        EXPECT_EQ(EdgeSet(*back), EdgeSet(d)) << ToMermaid(d);
        EXPECT_EQ(back->name, d.name.empty() ? "Imported flow" : d.name);
    }
}

TEST(RoundTrip, DrawioKeepsIdsTypesLabelsPositionsAndEdges) {
    std::mt19937 rng(7);
    render::Graphviz gv;
    for (int round = 0; round < 100; ++round) {
        FlowDraft d = RandomFlow(rng, true);
        Flow f{"flw_x", "wsp_x", d.name, "", 1, d.nodes, d.edges, 0, 0, "", ""};
        auto file = ExportFlow(f, "drawio", gv);
        ASSERT_TRUE(file.ok());
        auto back = ParseDrawio(file->body, kLimits);
        ASSERT_TRUE(back.ok()) << back.error().message;
        ASSERT_EQ(back->nodes.size(), d.nodes.size());
        for (std::size_t i = 0; i < d.nodes.size(); ++i) {
            EXPECT_EQ(back->nodes[i].id, d.nodes[i].id);
            EXPECT_EQ(back->nodes[i].type, d.nodes[i].type);
            EXPECT_EQ(back->nodes[i].label, d.nodes[i].label);
            EXPECT_EQ(back->nodes[i].position, d.nodes[i].position);
        }
        EXPECT_EQ(back->edges, d.edges);
    }
}

}  // namespace
}  // namespace uxf::flows
