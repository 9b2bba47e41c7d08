#include <gtest/gtest.h>

#include <algorithm>

#include <pugixml.hpp>

#include "uxf/flows/export.hpp"
#include "uxf/platform/graphviz.hpp"

namespace uxf::flows {
namespace {

FlowDraft Sample() {
    return {"Sign-up \"fast\" & easy",
            "",
            {{"start", NodeType::kStart, "Open app"},
             {"form-1", NodeType::kScreen, "Form <email>\nand password"},
             {"ok?", NodeType::kDecision, "Valid? #1"},
             {"done", NodeType::kEnd, "Welcome"},
             {"tip", NodeType::kNote, "Remember GDPR", "{}", Position{400, 20}},
             {"end", NodeType::kEnd, "End"}},
            {{"e1", "start", "form-1", "tap \"Sign up\""},
             {"e2", "form-1", "ok?", "", Trigger::kSubmit},
             {"e3", "ok?", "done", "yes"},
             {"e4", "ok?", "form-1", "no", std::nullopt, std::string("invalid")}}};
}

Flow AsFlow(const FlowDraft& d) {
    return {"flw_1", "wsp_1", d.name, d.description, 1, d.nodes, d.edges, 0, 0, "usr_1", "usr_1"};
}

TEST(SafeId, IsReversible) {
    for (std::string id : {"plain", "with-dash", "a.b:c", "under_score", "_x41_", "ünï", "__"}) {
        std::string safe = SafeId(id);
        for (char c : safe) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '_') << safe;
        EXPECT_EQ(UnsafeId(safe), id);
    }
    EXPECT_EQ(UnsafeId("A_B"), "A_B");  // hand-written Mermaid ids stay as they are
}

TEST(Mermaid, ShapesByTypeAndEscapedLabels) {
    std::string m = ToMermaid(Sample());
    EXPECT_TRUE(m.starts_with("flowchart LR\n"));
    EXPECT_NE(m.find("  start([\"Open app\"])"), std::string::npos) << m;
    EXPECT_NE(m.find("  done([\"Welcome\"])"), std::string::npos);
    EXPECT_NE(m.find("  ok_x3f{\"Valid? #35;1\"}"), std::string::npos);
    EXPECT_NE(m.find("  form_x2d1[\"Form #lt;email#gt;<br>and password\"]"), std::string::npos);
    EXPECT_NE(m.find("  start -->|\"tap #quot;Sign up#quot;\"| form_x2d1"), std::string::npos);
    EXPECT_NE(m.find("  form_x2d1 --> ok_x3f\n"), std::string::npos);
    EXPECT_NE(m.find("  class ok_x3f uxf_decision"), std::string::npos);
    EXPECT_NE(m.find("  classDef uxf_start fill:"), std::string::npos);
    EXPECT_NE(m.find("  _x65nd([\"End\"])"), std::string::npos) << m;  // a keyword as id is escaped
}

TEST(Dot, EscapesAndShapes) {
    std::string d = ToDot(Sample());
    EXPECT_NE(d.find("digraph \"Sign-up \\\"fast\\\" &amp; easy\""), std::string::npos) << d;
    EXPECT_NE(d.find("\"ok?\" [label=\"Valid? #1\", shape=diamond"), std::string::npos);
    EXPECT_NE(d.find("label=\"Form <email>\\nand password\""), std::string::npos);
    EXPECT_NE(d.find("\"ok?\" -> \"form-1\" [label=\"no [invalid]\", constraint=false]"), std::string::npos) << d;
    EXPECT_NE(d.find("\"form-1\" -> \"ok?\" [label=\"\"];"), std::string::npos);  // forward: ranks as usual
    render::Graphviz gv;
    EXPECT_NE(gv.Render(d, "svg").find("Valid? #1"), std::string::npos);  // Graphviz accepts it
}

TEST(PlantUml, ActivityDiagramWithStartAndEnd) {
    std::string p = ToPlantUml(Sample());
    EXPECT_TRUE(p.starts_with("@startuml\n"));
    EXPECT_TRUE(p.ends_with("@enduml\n"));
    EXPECT_NE(p.find("(*) --> \"Open app\" as n_start\n"), std::string::npos) << p;  // `as start` breaks PlantUML
    EXPECT_NE(p.find("n_ok_x3f --> [yes] \"Welcome\" as n_done"), std::string::npos) << p;
    EXPECT_NE(p.find("\"Valid&#63; &#35;1\""), std::string::npos) << p;
    EXPECT_NE(p.find("n_done --> (*)"), std::string::npos);
    EXPECT_NE(p.find("n_end --> (*)"), std::string::npos);
}

// Labels that would end a quoted string, a bracketed edge label or the diagram, or reach the preprocessor.
FlowDraft Hostile() {
    return {"T\"itle\n@enduml\n!include /etc/passwd",
            "",
            {{"s", NodeType::kStart, "\"@enduml\n!include /etc/passwd"},
             {"x", NodeType::kScreen, "[[javascript:alert(1)]] <img:/etc/passwd> %getenv(\"HOME\") ~x \\n & \\"},
             {"e", NodeType::kEnd, "</text><script>alert(1)</script>"}},
            {{"e1", "s", "x", "a ] b\n!include x"}, {"e2", "x", "e", "$v ** // -- |p|", std::nullopt, "c]\"\\N"}}};
}

TEST(PlantUml, NoLineAndNoDirectiveOfALabelsMaking) {
    std::string p = ToPlantUml(Hostile());
    std::vector<std::string> lines;
    for (std::size_t at = 0, nl; (nl = p.find('\n', at)) != std::string::npos; at = nl + 1)
        lines.push_back(p.substr(at, nl - at));
    EXPECT_EQ(lines.front(), "@startuml");
    EXPECT_EQ(lines.back(), "@enduml");
    EXPECT_EQ(lines.size(), 7u) << p;  // title, start, 2 edges, end
    for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
        const auto& line = lines[i];
        EXPECT_TRUE(line.starts_with("title ") || line.starts_with("(*) --> \"") || line.starts_with("n_s --> ") ||
                    line.starts_with("n_x --> ") || line.starts_with("n_e --> "))
            << line;
        for (const char* bad : {"@enduml", "!include", "[[", "<img", "%getenv"})
            EXPECT_EQ(line.find(bad), std::string::npos) << bad << " in " << line;
        for (std::size_t b = line.find('\\'); b != std::string::npos; b = line.find('\\', b + 1))
            EXPECT_EQ(line.substr(b, 2), "\\n") << line;  // only our line breaks
        // a quoted label holds no quote; the edge label's brackets are ours
        EXPECT_LE(std::count(line.begin(), line.end(), '"'), 2) << line;
        EXPECT_LE(std::count(line.begin(), line.end(), ']'), 1) << line;
    }
    EXPECT_NE(p.find("&#34;&#64;enduml\\n&#33;include &#47;etc&#47;passwd"), std::string::npos) << p;
    EXPECT_NE(p.find("<U+005C>n &#38; <U+005C>\""), std::string::npos) << p;  // a typed backslash, and &
}

TEST(Dot, HostileLabelsStayInsideTheirStrings) {
    std::string d = ToDot(Hostile());
    EXPECT_NE(d.find(R"(label="a ] b\n!include x")"), std::string::npos) << d;
    EXPECT_NE(d.find(R"(label="$v ** // -- |p| [c]\"\\N]")"), std::string::npos) << d;
    EXPECT_NE(d.find(R"(\\n &amp; \\")"), std::string::npos) << d;
    render::Graphviz gv;
    std::string svg = gv.Render(d, "svg");
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_string(svg.c_str()));
    EXPECT_FALSE(doc.select_node("//script"));
    EXPECT_NE(svg.find("&lt;/text&gt;&lt;script&gt;"), std::string::npos);  // as text
    EXPECT_NE(svg.find("\\n &amp; \\</text>"), std::string::npos) << svg;   // & and \ as typed
}

TEST(Drawio, WellFormedMxGraphWithGeometryForEveryNode) {
    render::Graphviz gv;
    auto file = ExportFlow(AsFlow(Sample()), "drawio", gv);
    ASSERT_TRUE(file.ok());
    EXPECT_EQ(file->content_type, "application/vnd.jgraph.mxfile");
    EXPECT_EQ(file->filename, "sign-up-fast-easy.drawio");
    pugi::xml_document doc;
    auto parsed = doc.load_string(file->body.c_str());
    ASSERT_TRUE(parsed) << parsed.description();
    auto root = doc.select_node("/mxfile/diagram/mxGraphModel/root").node();
    ASSERT_TRUE(root);
    EXPECT_EQ(std::string(doc.child("mxfile").child("diagram").attribute("name").value()), "Sign-up \"fast\" & easy");
    std::set<std::string> vertices;
    int edges = 0;
    for (auto cell : root.children("mxCell")) {
        std::string id = cell.attribute("id").value();
        if (id == "0" || id == "1") continue;
        if (cell.attribute("vertex").as_int() == 1) {
            vertices.insert(id);
            auto g = cell.child("mxGeometry");
            ASSERT_TRUE(g) << id;
            EXPECT_GT(g.attribute("width").as_double(), 0);
            EXPECT_STREQ(g.attribute("as").value(), "geometry");
        } else {
            ++edges;
            EXPECT_TRUE(vertices.contains(cell.attribute("source").value()));
            EXPECT_TRUE(vertices.contains(cell.attribute("target").value()));
        }
    }
    EXPECT_EQ(vertices.size(), 6u);
    EXPECT_EQ(edges, 4);
    auto tip = root.find_child_by_attribute("mxCell", "id", "n:tip");
    EXPECT_EQ(tip.child("mxGeometry").attribute("x").as_double(), 400);  // given positions are kept
    auto form = root.find_child_by_attribute("mxCell", "id", "n:form-1");
    EXPECT_STREQ(form.attribute("value").value(), "Form <email>\nand password");
}

TEST(AutoLayout, PlacesOnlyNodesWithoutPositionsInLayers) {
    render::Graphviz gv;
    FlowDraft d = Sample();
    EXPECT_EQ(AutoLayout(d, "LR", gv), 5u);
    EXPECT_EQ(d.nodes[4].position, (Position{400, 20}));        // kept
    EXPECT_LT(d.nodes[0].position->x, d.nodes[1].position->x);  // left to right along the edges
    EXPECT_LT(d.nodes[1].position->x, d.nodes[3].position->x);
    FlowDraft tb = Sample();
    AutoLayout(tb, "TB", gv);
    EXPECT_LT(tb.nodes[0].position->y, tb.nodes[1].position->y);  // top to bottom
    EXPECT_EQ(AutoLayout(tb, "TB", gv), 0u);                      // nothing left to place
}

TEST(Export, RendersEveryFormatAndRefusesUnknownOnes) {
    render::Graphviz gv;
    Flow f = AsFlow(Sample());
    struct Case {
        const char* format;
        const char* type;
        const char* starts;
    } cases[] = {{"json", "application/json", "{"},
                 {"mermaid", "text/vnd.mermaid; charset=utf-8", "flowchart"},
                 {"dot", "text/vnd.graphviz; charset=utf-8", "digraph"},
                 {"plantuml", "text/plain; charset=utf-8", "@startuml"},
                 {"drawio", "application/vnd.jgraph.mxfile", "<mxfile"},
                 {"svg", "image/svg+xml", "<?xml"},
                 {"png", "image/png", "\x89PNG"},
                 {"pdf", "application/pdf", "%PDF"}};
    for (const auto& c : cases) {
        auto file = ExportFlow(f, c.format, gv);
        ASSERT_TRUE(file.ok()) << c.format;
        EXPECT_EQ(file->content_type, c.type) << c.format;
        EXPECT_TRUE(file->body.starts_with(c.starts)) << c.format;
    }
    auto bad = ExportFlow(f, "docx", gv);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace uxf::flows
