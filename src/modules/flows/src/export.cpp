// Exports: Mermaid, DOT (and through Graphviz SVG/PNG/PDF), PlantUML, draw.io, JSON.
#include "uxf/flows/export.hpp"

#include "uxf/core/text.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <vector>

#include <fmt/format.h>

#include "uxf/flows/flow_json.hpp"
#include "uxf/flows/input_rules.hpp"
#include "uxf/platform/graphviz.hpp"

namespace uxf::flows {
namespace {

// How each node type is drawn in every format.
struct Style {
    NodeType type;
    const char* fill;
    const char* stroke;
    const char* mermaid_open;  // stadium for start/end, rhombus for decisions ...
    const char* mermaid_close;
    const char* dot_shape;
    const char* drawio_shape;
};

constexpr Style kStyles[] = {
    {NodeType::kStart, "#dcfce7", "#16a34a", "([", "])", "ellipse", "ellipse;"},
    {NodeType::kScreen, "#dbeafe", "#2563eb", "[", "]", "box", "rounded=1;"},
    {NodeType::kDecision, "#fef3c7", "#d97706", "{", "}", "diamond", "rhombus;"},
    {NodeType::kAction, "#ede9fe", "#7c3aed", "(", ")", "box", "rounded=1;arcSize=40;"},
    // a double border, without doublecircle's size
    {NodeType::kEnd, "#fee2e2", "#dc2626", "([", "])", "ellipse, peripheries=2", "ellipse;"},
    {NodeType::kNote, "#fefce8", "#a16207", ">", "]", "note", "shape=note;"},
    {NodeType::kSubflow, "#f1f5f9", "#475569", "[[", "]]", "box3d", "shape=process;"},
};

const Style& StyleOf(NodeType t) {
    for (const auto& s : kStyles)
        if (s.type == t) return s;
    return kStyles[1];
}

std::string Label(const Node& n) { return n.label.empty() ? n.id : n.label; }

std::string MermaidText(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '"':
                out += "#quot;";
                break;
            case '#':
                out += "#35;";
                break;
            case '|':
                out += "#124;";
                break;
            case '<':
                out += "#lt;";
                break;
            case '>':
                out += "#gt;";
                break;
            case '\n':
                out += "<br>";
                break;
            default:
                if (static_cast<unsigned char>(c) >= 0x20 || c == '\t') out += c;  // no other control characters
        }
    }
    return out;
}

// Inside a quoted DOT string: `"` and `\` escaped (so no escString like \N or \G is of the label's making),
// `&` as an entity (Graphviz would pass `&lt;` through as an entity), line breaks as \n, other controls dropped.
std::string DotText(std::string_view s) {
    std::string out;
    for (char c : s) {
        unsigned char u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\')
            out += {'\\', c};
        else if (c == '&')
            out += "&amp;";
        else if (c == '\n')
            out += "\\n";
        else if (u >= 0x20 && u != 0x7F)
            out += c;
        else if (c == '\t')
            out += ' ';
    }
    return out;
}

// XML attribute values (draw.io), escaped by the core's one XML escaper.
std::string XmlText(std::string_view s) {
    std::string out;
    AppendXmlEscaped(out, s);
    return out;
}

// PlantUML text (quoted labels, `[edge labels]`, the title) is read by the preprocessor (`!include`, `%getenv()`,
// `$vars`), by Creole (`[[links]]`, `<img:...>`, `~` escapes, `**bold**`) and by line patterns (a title of only
// punctuation, an edge label `[*]`, fail), so every ASCII character but letters, digits and spaces becomes a numeric
// entity, which PlantUML shows as the character. `\` and `$` become <U+005C> and <U+0024> instead: PlantUML 1.2020
// fails on their entities (it puts them in a regex replacement). Line breaks are PlantUML's \n: the output never
// has a line of the label's making.
std::string PlantUmlText(std::string_view s) {
    std::string out;
    for (char c : s) {
        unsigned char u = static_cast<unsigned char>(c);
        if (c == '\\' || c == '$')
            out += fmt::format("<U+{:04X}>", static_cast<int>(u));
        else if (c == '\n')
            out += "\\n";
        else if (c == '\t')
            out += ' ';
        else if (u > 0x20 && u < 0x7F && !std::isalnum(u))
            out += fmt::format("&#{};", static_cast<int>(u));
        else if (u >= 0x20 && u != 0x7F)
            out += c;  // letters, digits, spaces, UTF-8
    }
    return out;
}

std::string Slug(const std::string& name, const std::string& fallback) {
    std::string out;
    for (char c : name) {
        if (std::isalnum(static_cast<unsigned char>(c)))
            out += static_cast<char>(std::tolower(c));
        else if (!out.empty() && out.back() != '-')
            out += '-';
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out.empty() ? fallback : out.substr(0, 80);
}

}  // namespace

std::string SafeId(std::string_view id) {
    std::string out;
    for (unsigned char c : id) {
        if (std::isalnum(c))
            out += static_cast<char>(c);
        else if (c == '_')
            out += "__";
        else
            out += fmt::format("_x{:02x}", c);
    }
    return out;
}

std::string UnsafeId(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '_' && i + 1 < s.size() && s[i + 1] == '_') {
            out += '_';
            ++i;
        } else if (s[i] == '_' && i + 3 < s.size() && s[i + 1] == 'x' && std::isxdigit(s[i + 2]) &&
                   std::isxdigit(s[i + 3])) {
            out += static_cast<char>(std::stoi(std::string(s.substr(i + 2, 2)), nullptr, 16));
            i += 3;
        } else {
            out += s[i];
        }
    }
    return out;
}

// Mermaid reserves some words: as a node id they are escaped (first character as _xHH, still reversible).
std::string MermaidId(std::string_view id) {
    static const std::set<std::string> kKeywords = {"end",      "graph", "subgraph",  "flowchart", "style",  "class",
                                                    "classdef", "click", "linkstyle", "direction", "default"};
    std::string safe = SafeId(id);
    std::string lower = safe;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (kKeywords.contains(lower)) safe = fmt::format("_x{:02x}", static_cast<unsigned char>(safe[0])) + safe.substr(1);
    return safe;
}

std::string ToMermaid(const FlowDraft& f) {
    std::string out = "flowchart LR\n";
    if (!f.name.empty()) out += "  %% " + MermaidText(f.name) + "\n";
    for (const auto& n : f.nodes)
        out += fmt::format("  {}{}\"{}\"{}\n", MermaidId(n.id), StyleOf(n.type).mermaid_open, MermaidText(Label(n)),
                           StyleOf(n.type).mermaid_close);
    for (const auto& e : f.edges) {
        if (e.label.empty())
            out += fmt::format("  {} --> {}\n", MermaidId(e.source), MermaidId(e.target));
        else
            out += fmt::format("  {} -->|\"{}\"| {}\n", MermaidId(e.source), MermaidText(e.label), MermaidId(e.target));
    }
    std::set<NodeType> used;
    for (const auto& n : f.nodes) used.insert(n.type);
    for (NodeType t : used) {
        const Style& s = StyleOf(t);
        out += fmt::format("  classDef uxf_{} fill:{},stroke:{}\n", NodeTypeName(t), s.fill, s.stroke);
        std::string members;
        for (const auto& n : f.nodes)
            if (n.type == t) members += (members.empty() ? "" : ",") + MermaidId(n.id);
        out += fmt::format("  class {} uxf_{}\n", members, NodeTypeName(t));
    }
    return out;
}

// The edges that close a cycle (a "try again" back to an earlier step), found by a depth-first walk from the starts
// (then from any node not reached). dot ranks without them (constraint=false): the flow reads left to right, and
// Graphviz 2.43's acyclic pass, which would otherwise reverse them, leaks the virtual edge it makes for each.
static std::vector<bool> ClosingEdges(const FlowDraft& f) {
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < f.nodes.size(); ++i) index.emplace(f.nodes[i].id, i);
    std::vector<std::vector<std::size_t>> out(f.nodes.size());
    for (std::size_t e = 0; e < f.edges.size(); ++e)
        if (auto it = index.find(f.edges[e].source); it != index.end()) out[it->second].push_back(e);
    std::vector<int> state(f.nodes.size(), 0);  // 0 unseen, 1 on the walk's path, 2 done
    std::vector<bool> closing(f.edges.size(), false);
    auto walk = [&](std::size_t root) {
        std::vector<std::pair<std::size_t, std::size_t>> stack{{root, 0}};  // node, next of its edges
        state[root] = 1;
        while (!stack.empty()) {
            auto& [node, next] = stack.back();
            if (next == out[node].size()) {
                state[node] = 2;
                stack.pop_back();
                continue;
            }
            std::size_t e = out[node][next++];
            auto it = index.find(f.edges[e].target);
            if (it == index.end()) continue;
            if (state[it->second] == 1) {
                closing[e] = true;
            } else if (state[it->second] == 0) {
                state[it->second] = 1;
                stack.push_back({it->second, 0});
            }
        }
    };
    for (std::size_t i = 0; i < f.nodes.size(); ++i)
        if (f.nodes[i].type == NodeType::kStart && state[i] == 0) walk(i);
    for (std::size_t i = 0; i < f.nodes.size(); ++i)
        if (state[i] == 0) walk(i);
    return closing;
}

std::string ToDot(const FlowDraft& f, std::string_view rankdir) {
    // Large flows: edge labels as xlabels (placed after layout; real labels double the ranks dot works on) and a
    // cheaper placement (nslimit=0: the first feasible x coordinates, no optimisation rounds). On a 200-node flow
    // this takes the layout from ~40 s to about 0.1 s.
    bool large = f.nodes.size() + f.edges.size() > 150;
    std::string out = fmt::format(
        "digraph \"{}\" {{\n  graph [rankdir={}, fontname=\"DejaVu Sans\", nodesep=0.45, ranksep=0.6, "
        "label=\"{}\", labelloc=t, size=\"50,50\"{}];\n  node [fontname=\"DejaVu Sans\", fontsize=11, "
        "style=\"filled,rounded\", "
        "penwidth=1.3, margin=\"0.15,0.08\"];\n  edge [fontname=\"DejaVu Sans\", fontsize=10, color=\"#64748b\"];\n",
        DotText(f.name), rankdir, DotText(f.name),
        large ? ", nslimit=0, nslimit1=2, mclimit=0.3, forcelabels=true, splines=polyline" : "");
    for (const auto& n : f.nodes) {
        const Style& s = StyleOf(n.type);
        out += fmt::format("  \"{}\" [label=\"{}\", shape={}, fillcolor=\"{}\", color=\"{}\"];\n", DotText(n.id),
                           DotText(Label(n)), StyleOf(n.type).dot_shape, s.fill, s.stroke);
    }
    auto closing = ClosingEdges(f);
    for (std::size_t i = 0; i < f.edges.size(); ++i) {
        const Edge& e = f.edges[i];
        std::string label = e.label;
        if (e.condition) label += (label.empty() ? "[" : " [") + *e.condition + "]";
        out += fmt::format("  \"{}\" -> \"{}\" [{}=\"{}\"{}];\n", DotText(e.source), DotText(e.target),
                           large ? "xlabel" : "label", DotText(label), closing[i] ? ", constraint=false" : "");
    }
    return out + "}\n";
}

std::string ToPlantUml(const FlowDraft& f) {
    std::string out = "@startuml\n";
    if (!f.name.empty()) out += "title " + PlantUmlText(f.name) + "\n";
    std::set<std::string> declared;
    std::map<std::string, const Node*> by_id;
    for (const auto& n : f.nodes) by_id[n.id] = &n;
    auto ref = [&](const std::string& id) {
        const Node* n = by_id.at(id);
        std::string alias = "n_" + SafeId(id);  // a prefix: an alias like `start` or `end` is a keyword
        if (!declared.insert(id).second) return alias;
        return fmt::format("\"{}\" as {}", PlantUmlText(Label(*n)), alias);
    };
    for (const auto& n : f.nodes)
        if (n.type == NodeType::kStart) out += "(*) --> " + ref(n.id) + "\n";
    for (const auto& e : f.edges) {
        if (!by_id.contains(e.source) || !by_id.contains(e.target)) continue;
        std::string label = e.label.empty() ? "" : " [" + PlantUmlText(e.label) + "]";
        std::string src = ref(e.source);
        out += src + " -->" + label + " " + ref(e.target) + "\n";
    }
    for (const auto& n : f.nodes)
        if (n.type == NodeType::kEnd) out += ref(n.id) + " --> (*)\n";
    return out + "@enduml\n";
}

std::string ToDrawio(const FlowDraft& f) {
    constexpr double kWidth = 140, kHeight = 60;
    std::string cells;
    for (const auto& n : f.nodes) {
        Position p = n.position.value_or(Position{0, 0});
        const Style& s = StyleOf(n.type);
        double w = n.type == NodeType::kDecision ? 120 : kWidth, h = n.type == NodeType::kDecision ? 80 : kHeight;
        cells += fmt::format(
            "        <mxCell id=\"n:{}\" value=\"{}\" style=\"{}whiteSpace=wrap;html=0;fillColor={};strokeColor={};"
            "uxflowType={};\" vertex=\"1\" parent=\"1\">\n          <mxGeometry x=\"{:.0f}\" y=\"{:.0f}\" "
            "width=\"{:.0f}\" "
            "height=\"{:.0f}\" as=\"geometry\"/>\n        </mxCell>\n",
            XmlText(n.id), XmlText(Label(n)), StyleOf(n.type).drawio_shape, s.fill, s.stroke, NodeTypeName(n.type), p.x,
            p.y, w, h);
    }
    for (const auto& e : f.edges)
        cells += fmt::format(
            "        <mxCell id=\"e:{}\" value=\"{}\" style=\"edgeStyle=orthogonalEdgeStyle;rounded=1;html=0;"
            "endArrow=classic;\" edge=\"1\" parent=\"1\" source=\"n:{}\" target=\"n:{}\">\n"
            "          <mxGeometry relative=\"1\" as=\"geometry\"/>\n        </mxCell>\n",
            XmlText(e.id), XmlText(e.label), XmlText(e.source), XmlText(e.target));
    return fmt::format(
        "<mxfile host=\"uxflow\" type=\"device\">\n  <diagram id=\"uxflow\" name=\"{}\">\n    <mxGraphModel grid=\"1\" "
        "gridSize=\"10\" guides=\"1\" tooltips=\"1\" connect=\"1\" arrows=\"1\" fold=\"1\" page=\"1\" pageScale=\"1\" "
        "math=\"0\" shadow=\"0\">\n      <root>\n        <mxCell id=\"0\"/>\n        <mxCell id=\"1\" parent=\"0\"/>\n"
        "{}      </root>\n    </mxGraphModel>\n  </diagram>\n</mxfile>\n",
        XmlText(f.name.empty() ? "Flow" : f.name), cells);
}

std::size_t AutoLayout(FlowDraft& flow, std::string_view direction, render::Graphviz& graphviz) {
    if (std::all_of(flow.nodes.begin(), flow.nodes.end(), [](const Node& n) { return n.position.has_value(); }))
        return 0;
    auto centres = graphviz.Layout(ToDot(flow, direction));
    std::size_t placed = 0;
    for (auto& n : flow.nodes) {
        if (n.position) continue;
        auto it = centres.find(n.id);
        if (it == centres.end()) continue;
        // points -> pixels at 1.5x, centre -> top-left of a 140x60 box, 20 px margin
        auto pixels = [](double points, double half) {
            return std::clamp(std::round(points * 1.5 - half + 20), -kMaxCoordinate, kMaxCoordinate);
        };
        n.position = Position{pixels(it->second.first, 70), pixels(it->second.second, 30)};
        ++placed;
    }
    return placed;
}

Result<ExportFile> ExportFlow(const Flow& flow, std::string_view format, render::Graphviz& renderer) {
    FlowDraft d{flow.name, flow.description, flow.nodes, flow.edges};
    std::string base = Slug(flow.name, flow.id);
    if (format == "json") return ExportFile{"application/json", base + ".json", FlowToJson(flow)};
    if (format == "mermaid") return ExportFile{"text/vnd.mermaid; charset=utf-8", base + ".mmd", ToMermaid(d)};
    if (format == "dot") return ExportFile{"text/vnd.graphviz; charset=utf-8", base + ".dot", ToDot(d)};
    if (format == "plantuml") return ExportFile{"text/plain; charset=utf-8", base + ".puml", ToPlantUml(d)};
    if (format == "drawio") {
        AutoLayout(d, "LR", renderer);
        return ExportFile{"application/vnd.jgraph.mxfile", base + ".drawio", ToDrawio(d)};
    }
    if (format == "svg") return ExportFile{"image/svg+xml", base + ".svg", renderer.Render(ToDot(d), "svg")};
    if (format == "png") return ExportFile{"image/png", base + ".png", renderer.Render(ToDot(d), "png")};
    if (format == "pdf") return ExportFile{"application/pdf", base + ".pdf", renderer.Render(ToDot(d), "pdf")};
    return Error::Invalid("unknown format",
                          {{"format", "must be one of json, mermaid, dot, svg, png, pdf, drawio, plantuml"}});
}

}  // namespace uxf::flows
