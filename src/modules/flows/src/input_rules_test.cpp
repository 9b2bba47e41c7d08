// Input rules (control characters, UTF-8, positions) on every way into a flow: document, applied ops, imports, code
// (ops and batch bodies: gateway/routes/flow_json_test.cpp).
#include <gtest/gtest.h>

#include <limits>

#include "uxf/flows/flow_json.hpp"
#include "uxf/flows/import.hpp"
#include "uxf/flows/input_rules.hpp"
#include "uxf/flows/ops.hpp"

namespace uxf::flows {
namespace {

const FlowSettings kLimits{};

// "field: message" of every field error, one per line.
template <class T>
std::string Fields(const Result<T>& r) {
    std::string out;
    if (r.ok()) return "(ok)";
    for (const auto& e : r.error().errors) out += e.field + "\n";
    return out;
}

TEST(TextRules, PositionsAreFiniteAndInRange) {
    EXPECT_FALSE(PositionProblem({1e6, -1e6}));
    EXPECT_FALSE(PositionProblem({0.5, -20}));
    EXPECT_TRUE(PositionProblem({1e6 + 1, 0}));
    EXPECT_TRUE(PositionProblem({0, -1e308}));
    EXPECT_TRUE(PositionProblem({std::numeric_limits<double>::infinity(), 0}));
    EXPECT_TRUE(PositionProblem({0, std::numeric_limits<double>::quiet_NaN()}));
}

TEST(InputRules, FlowDocumentNamesTheField) {
    auto r = ParseFlowDocument(R"({"name":"a\u0000b","description":"ok\nfine\u001b",
        "nodes":[{"id":"a","type":"start","label":"line 1\nline 2\tok"},{"id":"b","type":"end","label":"x\u0007"},
                 {"id":"c","type":"screen","position":{"x":1e308,"y":0}},{"id":"d","type":"screen","position":{"x":1,"y":-1e7}}],
        "edges":[{"source":"a","target":"b","label":"\r\n","condition":"\u0085"}]})",
                               kLimits);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(Fields(r),
              "name\ndescription\nnodes[1].label\nnodes[2].position\nnodes[3].position\nedges[0].label\n"
              "edges[0].condition\n");
    auto ok = ParseFlowDocument(
        R"({"name":"x","nodes":[{"id":"a","type":"start","label":"two\nlines","position":{"x":-1e6,"y":1e6}}]})",
        kLimits);
    ASSERT_TRUE(ok.ok()) << Fields(ok);
    EXPECT_EQ(ok->nodes[0].label, "two\nlines");
    // A name is one line: no line break, no tab.
    EXPECT_EQ(Fields(ParseFlowDocument(R"({"name":"a\nb"})", kLimits)), "name\n");
    EXPECT_EQ(Fields(ParseFlowDocument(R"({"name":"a\tb"})", kLimits)), "name\n");
}

TEST(InputRules, DraftsMadeInCodeFollowTheSameRules) {
    FlowDraft d{"ok", "", {{"a", NodeType::kStart, "fine"}, {"b", NodeType::kEnd, "end"}}, {{"e", "a", "b", "go"}}};
    EXPECT_TRUE(CheckDraft(d, kLimits).ok());
    FlowDraft bad = d;
    bad.name = "x\x01";
    bad.nodes[0].label = std::string("nul\0", 4);
    bad.nodes[1].position = Position{std::numeric_limits<double>::infinity(), 0};
    bad.edges[0].condition = "\x1b";
    bad.edges[0].label = std::string(kLimits.max_label_chars + 1, 'x');
    auto r = CheckDraft(bad, kLimits);
    EXPECT_EQ(Fields(r), "name\nnodes[0].label\nnodes[1].position\nedges[0].label\nedges[0].condition\n");
    FlowDraft ids = d;
    ids.nodes[0].id = "a\"b";  // an id no document may hold
    ids.edges[0].source = "a\"b";
    EXPECT_EQ(Fields(CheckDraft(ids, kLimits)), "nodes[0].id\n");
}

TEST(InputRules, ApplyingOpsToAStoredFlowChecksTheResult) {
    // A flow stored before these rules, with a NUL in a label: ops that fix it apply, others name it.
    FlowDraft stored{"F", "", {{"a", NodeType::kStart, std::string("bad\0", 4)}}, {}};
    Op fix{Op::Kind::kUpdateNode, "a"};
    fix.node_set.label = "ok";
    EXPECT_TRUE(ApplyOps(stored, {fix}, kLimits).ok());
    Op other{Op::Kind::kSetMeta};
    other.name = "G";
    EXPECT_EQ(Fields(ApplyOps(stored, {other}, kLimits)), "nodes[0].label\n");
}

TEST(InputRules, MermaidImportRefusesWhatTheDocumentRefuses) {
    // _x00 decodes to a NUL in the id (and in the label, which is the id when none is given).
    EXPECT_EQ(Fields(ParseMermaid("flowchart LR\n  a_x00 --> b\n", kLimits)), "nodes[0].id\nnodes[0].label\n");
    auto label = ParseMermaid("flowchart LR\n  a[\"x\x01y\"] --> b\n", kLimits);
    EXPECT_EQ(Fields(label), "nodes[0].label\n");
    EXPECT_EQ(Fields(ParseMermaid("flowchart LR\n  a[\"\xff\"]\n", kLimits)), "nodes[0].label\n");
    EXPECT_EQ(Fields(ParseMermaid("%% bad\x02name\nflowchart LR\n  a --> b\n", kLimits)), "name\n");
    std::string long_label(kLimits.max_label_chars + 1, 'x');
    EXPECT_EQ(Fields(ParseMermaid("flowchart LR\n  a -->|" + long_label + "| b\n", kLimits)), "edges[0].label\n");
    auto br = ParseMermaid("flowchart LR\n  a[\"one<br>two\"]\n", kLimits);
    ASSERT_TRUE(br.ok()) << Fields(br);
    EXPECT_EQ(br->nodes[0].label, "one\ntwo");  // line breaks are allowed
}

TEST(InputRules, DrawioImportRefusesWhatTheDocumentRefuses) {
    auto file = [](const std::string& cell) {
        return "<mxfile><diagram name=\"D\"><mxGraphModel><root><mxCell id=\"0\"/><mxCell id=\"1\" parent=\"0\"/>" +
               cell + "</root></mxGraphModel></diagram></mxfile>";
    };
    auto far = ParseDrawio(
        file(R"(<mxCell id="a" value="A" vertex="1" parent="1"><mxGeometry x="1e308" y="0"/></mxCell>)"), kLimits);
    EXPECT_EQ(Fields(far), "nodes[0].position\n");
    auto nan = ParseDrawio(
        file(R"(<mxCell id="a" value="A" vertex="1" parent="1"><mxGeometry x="nan" y="0"/></mxCell>)"), kLimits);
    EXPECT_EQ(Fields(nan), "nodes[0].position\n");
    auto ctl = ParseDrawio(file("<mxCell id=\"a\" value=\"A\x01\" vertex=\"1\" parent=\"1\"/>"), kLimits);
    EXPECT_EQ(Fields(ctl), "nodes[0].label\n");
    auto crlf = ParseDrawio(file(R"(<mxCell id="a" value="one&#13;&#10;two" vertex="1" parent="1"/>)"), kLimits);
    ASSERT_TRUE(crlf.ok()) << Fields(crlf) << crlf.error().errors.at(0).message;
    EXPECT_EQ(crlf->nodes[0].label, "one\ntwo");  // Windows line ends become \n
}

}  // namespace
}  // namespace uxf::flows
