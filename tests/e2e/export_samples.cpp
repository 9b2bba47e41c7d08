// Hostile labels through every export format, for tests/e2e/check-exports.sh.
//   export_samples write <folder> <count>  writes flowN.{json,puml,dot,svg,drawio,mmd} of generated hostile flows
//   export_samples check <folder>          checks every SVG and draw.io file in <folder> (and below) with pugixml
// The external tools (plantuml, dot, Mermaid) are run by the script.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <set>
#include <sstream>

#include <pugixml.hpp>

#include "uxf/flows/export.hpp"
#include "uxf/flows/flow_json.hpp"
#include "uxf/flows/import.hpp"
#include "uxf/flows/testing/random_flows.hpp"
#include "uxf/platform/graphviz.hpp"

namespace fs = std::filesystem;
using namespace uxf::flows;

namespace {

int failures = 0;

void Fail(const fs::path& file, const std::string& what) {
    std::cout << "FAIL " << file.string() << ": " << what << "\n";
    ++failures;
}

std::string Read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

int Write(const fs::path& dir, int count) {
    fs::create_directories(dir);
    std::mt19937 rng(20261122);
    uxf::render::Graphviz graphviz;
    for (int i = 0; i < count; ++i) {
        FlowDraft d = testing::HostileFlow(rng);
        if (auto ok = CheckDraft(d, FlowSettings{}); !ok.ok()) {  // only what the API accepts is exported
            std::cerr << "generated flow " << i << " is not valid input: " << ok.error().errors.at(0).field << ": "
                      << ok.error().errors.at(0).message << "\n";
            return 1;
        }
        Flow f{"flw_" + std::to_string(i), "wsp_1", d.name, d.description, 1, d.nodes, d.edges, 0, 0, "u", "u"};
        for (const char* format : {"json", "plantuml", "dot", "svg", "drawio", "mermaid"}) {
            auto file = ExportFlow(f, format, graphviz);
            if (!file.ok()) {
                std::cerr << "flow " << i << ": export " << format << " failed: " << file.error().message << "\n";
                return 1;
            }
            std::string ext = fs::path(file->filename).extension().string();
            std::ofstream(dir / ("flow" + std::to_string(i) + ext), std::ios::binary) << file->body;
        }
    }
    return 0;
}

// The text of every label line as it must appear: no script, no event handler, no link in any SVG.
void CheckSvg(const fs::path& file, const std::set<std::string>& lines) {
    pugi::xml_document doc;
    auto parsed = doc.load_file(file.c_str());
    if (!parsed) return Fail(file, std::string("not well-formed XML: ") + parsed.description());
    std::string text;
    struct Walker : pugi::xml_tree_walker {
        const fs::path* file;
        std::string* text;
        bool for_each(pugi::xml_node& n) override {
            if (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) {
                std::string t = n.value();  // Graphviz keeps runs of spaces as " &#160;"
                for (std::size_t p; (p = t.find("\xc2\xa0")) != std::string::npos;) t.replace(p, 2, " ");
                *text += t + "\n";
            }
            if (n.type() != pugi::node_element) return true;
            std::string name = n.name();
            for (const char* bad : {"script", "foreignObject", "iframe", "object", "embed", "a", "use", "image"})
                if (name == bad || name.ends_with(std::string(":") + bad)) Fail(*file, "element <" + name + ">");
            for (auto a : n.attributes()) {
                std::string an = a.name();
                for (auto& c : an) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                if (an.starts_with("on")) Fail(*file, "event handler attribute " + an);
                if (an == "href" || an.ends_with(":href")) Fail(*file, "link " + an + "=" + a.value());
                if (an == "style" && std::string(a.value()).find("url(") != std::string::npos)
                    Fail(*file, "url() in a style");
            }
            return true;
        }
    } walker;
    walker.file = &file;
    walker.text = &text;
    doc.traverse(walker);
    for (const auto& line : lines)
        if (text.find(line) == std::string::npos) Fail(file, "label text missing or mangled: [" + line + "]");
}

// Well-formed mxGraph, and importing it back gives every label as it was.
void CheckDrawio(const fs::path& file, const FlowDraft& original) {
    std::string xml = Read(file);
    pugi::xml_document doc;
    if (auto parsed = doc.load_string(xml.c_str()); !parsed)
        return Fail(file, std::string("not well-formed XML: ") + parsed.description());
    std::set<std::string> allowed = {"mxfile", "diagram", "mxGraphModel", "root", "mxCell", "mxGeometry"};
    for (auto x : doc.select_nodes("//*"))
        if (!allowed.contains(x.node().name())) Fail(file, std::string("unexpected element ") + x.node().name());
    auto back = ParseDrawio(xml, FlowSettings{});
    if (!back.ok()) return Fail(file, "does not import back: " + back.error().message);
    if (back->name != original.name) Fail(file, "name changed: " + back->name);
    for (std::size_t i = 0; i < original.nodes.size() && i < back->nodes.size(); ++i)
        if (back->nodes[i].label != original.nodes[i].label)
            Fail(file, "label of " + original.nodes[i].id + " changed");
    for (std::size_t i = 0; i < original.edges.size() && i < back->edges.size(); ++i)
        if (back->edges[i].label != original.edges[i].label)
            Fail(file, "label of " + original.edges[i].id + " changed");
}

// The lines of every label (Graphviz draws one text element per line), without surrounding blanks.
std::set<std::string> LabelLines(const FlowDraft& d) {
    std::set<std::string> out;
    auto add = [&](const std::string& label) {
        std::istringstream in(label);
        for (std::string line; std::getline(in, line);) {
            for (auto& c : line)
                if (c == '\t') c = ' ';
            auto b = line.find_first_not_of(' '), e = line.find_last_not_of(' ');
            if (b != std::string::npos) out.insert(line.substr(b, e - b + 1));
        }
    };
    for (const auto& n : d.nodes) add(n.label);
    for (const auto& e : d.edges) {
        std::string label = e.label;
        if (e.condition) label += (label.empty() ? "[" : " [") + *e.condition + "]";
        add(label);
    }
    return out;
}

int Check(const fs::path& dir) {
    int checked = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        const fs::path& p = entry.path();
        auto ext = p.extension().string();
        if (ext != ".svg" && ext != ".drawio") continue;
        // flowN.svg and flowN.drawio sit beside flowN.json; tool outputs (dot-svg/flowN.svg, puml-svg/...) too.
        std::string stem = p.stem().string();
        stem = stem.substr(0, stem.find('.'));
        auto draft = ParseFlowDocument(Read(dir / (stem + ".json")), FlowSettings{});
        if (!draft.ok()) {
            Fail(p, "no readable " + stem + ".json beside it");
            continue;
        }
        ++checked;
        bool plantuml = p.parent_path().filename() == "puml-svg";
        if (ext == ".drawio")
            CheckDrawio(p, *draft);
        else
            CheckSvg(p, plantuml ? std::set<std::string>{} : LabelLines(*draft));  // PlantUML wraps and styles text
        if (plantuml) {
            std::string svg = Read(p);
            for (const char* bad : {"An error has occured", "Syntax Error", "Exception", "Cannot find"})
                if (svg.find(bad) != std::string::npos) Fail(p, std::string("PlantUML reports: ") + bad);
        }
    }
    std::cout << checked << " SVG and draw.io files checked, " << failures << " problems\n";
    return checked > 0 && failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    std::string cmd = argc > 1 ? argv[1] : "";
    if (cmd == "write" && argc == 4) return Write(argv[2], std::stoi(argv[3]));
    if (cmd == "check" && argc == 3) return Check(argv[2]);
    std::cerr << "usage: export_samples write <folder> <count> | check <folder>\n";
    return 2;
}
