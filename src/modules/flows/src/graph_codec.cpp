#include "graph_codec.hpp"

#include <stdexcept>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "uxf/platform/compress.hpp"
#include "uxf/platform/json_text.hpp"

namespace uxf::flows {

namespace json = boost::json;

void AppendNode(std::string& out, const Node& n) {
    using json_text::AppendNumber;
    using json_text::AppendString;
    out += "{\"id\":";
    AppendString(out, n.id);
    out += ",\"type\":";
    AppendString(out, NodeTypeName(n.type));
    out += ",\"label\":";
    AppendString(out, n.label);
    out += ",\"data\":";
    out += n.data;  // compact JSON as json_text::Write made it (CanonicalData)
    if (n.position) {
        out += ",\"position\":{\"x\":";
        AppendNumber(out, n.position->x);
        out += ",\"y\":";
        AppendNumber(out, n.position->y);
        out += '}';
    }
    out += '}';
}

void AppendEdge(std::string& out, const Edge& e) {
    using json_text::AppendString;
    out += "{\"id\":";
    AppendString(out, e.id);
    out += ",\"source\":";
    AppendString(out, e.source);
    out += ",\"target\":";
    AppendString(out, e.target);
    out += ",\"label\":";
    AppendString(out, e.label);
    out += ",\"trigger\":";
    if (e.trigger)
        AppendString(out, TriggerName(*e.trigger));
    else
        out += "null";
    out += ",\"condition\":";
    if (e.condition)
        AppendString(out, *e.condition);
    else
        out += "null";
    out += '}';
}

void AppendGraph(std::string& out, const std::vector<Node>& nodes, const std::vector<Edge>& edges) {
    out += "\"nodes\":[";
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        if (i) out += ',';
        AppendNode(out, nodes[i]);
    }
    out += "],\"edges\":[";
    for (std::size_t i = 0; i < edges.size(); ++i) {
        if (i) out += ',';
        AppendEdge(out, edges[i]);
    }
    out += ']';
}

std::string EncodeGraph(const std::vector<Node>& nodes, const std::vector<Edge>& edges) {
    std::string out;
    out.reserve(64 + nodes.size() * 96 + edges.size() * 96);
    out += '{';
    AppendGraph(out, nodes, edges);
    out += '}';
    return out;
}

void DecodeGraph(std::string_view text, std::vector<Node>& nodes, std::vector<Edge>& edges) {
    try {
        boost::system::error_code ec;
        json::monotonic_resource arena;  // the DOM lives only while it is read
        json::value v = json_text::Parse(text, ec, &arena);
        if (ec) throw std::runtime_error(ec.message());
        for (const auto& item : v.at("nodes").as_array()) {
            const auto& o = item.as_object();
            Node n;
            n.id = o.at("id").as_string();
            n.type = ParseNodeType(o.at("type").as_string()).value();
            n.label = o.at("label").as_string();
            n.data = json_text::Write(o.at("data"));
            if (auto* p = o.if_contains("position"))
                n.position = Position{p->at("x").to_number<double>(), p->at("y").to_number<double>()};
            nodes.push_back(std::move(n));
        }
        for (const auto& item : v.at("edges").as_array()) {
            const auto& o = item.as_object();
            Edge e;
            e.id = o.at("id").as_string();
            e.source = o.at("source").as_string();
            e.target = o.at("target").as_string();
            e.label = o.at("label").as_string();
            if (const auto& t = o.at("trigger"); !t.is_null()) e.trigger = ParseTrigger(t.as_string()).value();
            if (const auto& c = o.at("condition"); !c.is_null()) e.condition = std::string(c.as_string());
            edges.push_back(std::move(e));
        }
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("corrupt flow snapshot: ") + e.what());
    }
}

Result<void> CanonicalData(std::vector<Node>& nodes) {
    unsigned char buffer[2048];
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        boost::system::error_code ec;
        json::monotonic_resource arena(buffer, sizeof buffer);  // small data needs no allocation
        auto v = json_text::Parse(nodes[i].data, ec, &arena);
        if (ec || !v.is_object())
            return Error::Invalid("the flow is not valid",
                                  {{fmt::format("nodes[{}].data", i), "must be a JSON object"}});
        nodes[i].data = json_text::Write(v);
    }
    return Ok();
}

std::string PackGraph(const std::vector<Node>& nodes, const std::vector<Edge>& edges) {
    return compress::Pack(EncodeGraph(nodes, edges));
}

void UnpackGraph(std::string_view format, std::string_view text, std::string_view packed, std::vector<Node>& nodes,
                 std::vector<Edge>& edges) {
    if (format == kTextFormat) return DecodeGraph(text, nodes, edges);
    if (format != kPackedFormat) throw std::runtime_error(fmt::format("stored graph: unknown format {:.40}", format));
    auto json = compress::Unpack(packed);
    if (!json) throw std::runtime_error("stored graph: damaged zstd frame");
    DecodeGraph(*json, nodes, edges);
}

}  // namespace uxf::flows
