#include <map>
#include <set>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "uxf/core/strings.hpp"
#include "uxf/flows/flow_json.hpp"
#include "uxf/flows/import.hpp"

namespace uxf::flows {
namespace {

// draw.io styles: `key=value;` pairs and bare shape words (`ellipse;`, `rhombus;`).
std::map<std::string, std::string> ParseStyle(std::string_view style) {
    std::map<std::string, std::string> out;
    std::size_t p = 0;
    while (p < style.size()) {
        auto semi = style.find(';', p);
        std::string_view item = style.substr(p, semi == std::string_view::npos ? std::string_view::npos : semi - p);
        p = semi == std::string_view::npos ? style.size() : semi + 1;
        if (item.empty()) continue;
        auto eq = item.find('=');
        if (eq == std::string_view::npos)
            out[std::string(item)] = "1";
        else
            out[std::string(item.substr(0, eq))] = std::string(item.substr(eq + 1));
    }
    return out;
}

// Labels with html=1 may carry markup: keep the text, turn <br> into new lines. Windows line ends (&#13;&#10;)
// become \n; any other control character is left for CheckDraft to refuse.
std::string PlainText(std::string value, bool html) {
    std::erase(value, '\r');
    if (!html) return value;
    std::string out;
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i] == '<') {
            auto close = value.find('>', i);
            if (close == std::string::npos) break;
            std::string tag = ToLower(value.substr(i, close - i + 1));
            if (tag.starts_with("<br") || tag == "<div>" || tag == "<p>") out += out.empty() ? "" : "\n";
            i = close;
        } else if (value.compare(i, 6, "&nbsp;") == 0) {
            out += ' ';
            i += 5;
        } else if (value.compare(i, 5, "&amp;") == 0) {
            out += '&';
            i += 4;
        } else if (value.compare(i, 4, "&lt;") == 0) {
            out += '<';
            i += 3;
        } else if (value.compare(i, 4, "&gt;") == 0) {
            out += '>';
            i += 3;
        } else {
            out += value[i];
        }
    }
    return std::string(Trim(out));
}

}  // namespace

Result<FlowDraft> ParseDrawio(std::string_view xml, const FlowSettings& limits) {
    pugi::xml_document doc;
    auto parsed = doc.load_buffer(xml.data(), xml.size());
    if (!parsed)
        return Error::Invalid("the draw.io file is not valid XML",
                              {{"content", fmt::format("{} at byte {}", parsed.description(), parsed.offset)}});
    auto diagram = doc.child("mxfile").child("diagram");
    pugi::xml_node model = diagram ? diagram.child("mxGraphModel") : doc.child("mxGraphModel");
    if (!model) {
        if (diagram && !Trim(diagram.text().get()).empty())
            return Error::Invalid("compressed draw.io diagrams are not supported",
                                  {{"content",
                                    "save it uncompressed: in diagrams.net, File > Properties, untick "
                                    "Compressed"}});
        return Error::Invalid("no draw.io diagram found", {{"content", "expected <mxfile><diagram><mxGraphModel>"}});
    }
    FlowDraft d{diagram ? diagram.attribute("name").value() : "", "", {}, {}};
    if (Trim(d.name).empty()) d.name = "Imported flow";
    std::map<std::string, std::string> id_of;  // cell id -> node id
    std::set<std::string> used;
    std::map<std::string, bool> terminal;  // node id -> drawn as an ellipse without a uxflowType
    // An id no element has yet: `prefix` and the first free number (a plain count could repeat an id taken).
    auto fresh = [](const std::set<std::string>& taken, const char* prefix) {
        for (std::size_t k = taken.size() + 1;; ++k)
            if (std::string id = prefix + std::to_string(k); !taken.contains(id)) return id;
    };
    auto node_id = [&](const std::string& cell) {
        std::string id = cell.starts_with("n:") ? cell.substr(2) : cell;
        if (!IsValidElementId(id) || used.contains(id)) id = fresh(used, "n");
        used.insert(id);
        return id;
    };
    for (auto cell : model.child("root").children("mxCell")) {
        if (cell.attribute("vertex").as_int() != 1) continue;
        auto style = ParseStyle(cell.attribute("style").value());
        if (style.contains("text") || style.contains("group") || style.contains("swimlane")) continue;
        Node n;
        n.id = node_id(cell.attribute("id").value());
        id_of[cell.attribute("id").value()] = n.id;
        n.label = PlainText(cell.attribute("value").value(), style["html"] == "1");
        if (auto t = ParseNodeType(style["uxflowType"])) {
            n.type = *t;
        } else if (style.contains("rhombus")) {
            n.type = NodeType::kDecision;
        } else if (style.contains("ellipse") || style["shape"] == "ellipse" || style["shape"] == "doubleEllipse") {
            terminal[n.id] = true;
        } else if (style["shape"] == "note") {
            n.type = NodeType::kNote;
        } else if (style["shape"] == "process") {
            n.type = NodeType::kSubflow;
        }
        if (auto g = cell.child("mxGeometry"))
            n.position = Position{g.attribute("x").as_double(), g.attribute("y").as_double()};
        d.nodes.push_back(std::move(n));
    }
    std::set<std::string> edge_ids, has_incoming;
    for (auto cell : model.child("root").children("mxCell")) {
        if (cell.attribute("edge").as_int() != 1) continue;
        auto s = id_of.find(cell.attribute("source").value());
        auto t = id_of.find(cell.attribute("target").value());
        if (s == id_of.end() || t == id_of.end()) continue;  // a loose connector is not part of the flow
        std::string cell_id = cell.attribute("id").value();
        std::string id = cell_id.starts_with("e:") ? cell_id.substr(2) : cell_id;
        if (!IsValidElementId(id) || edge_ids.contains(id)) id = fresh(edge_ids, "e");
        edge_ids.insert(id);
        auto style = ParseStyle(cell.attribute("style").value());
        d.edges.push_back({id, s->second, t->second, PlainText(cell.attribute("value").value(), style["html"] == "1")});
        has_incoming.insert(t->second);
    }
    for (auto& n : d.nodes)
        if (terminal.contains(n.id)) n.type = has_incoming.contains(n.id) ? NodeType::kEnd : NodeType::kStart;
    if (auto ok = CheckDraft(d, limits); !ok.ok()) return ok.error();
    return d;
}

}  // namespace uxf::flows
