#include "graph_codec.hpp"
#include "uxf/platform/json_text.hpp"

#include <stdexcept>

#include <boost/json.hpp>

namespace uxf::flows {

namespace json = boost::json;

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

std::string EncodeGraph(const std::vector<Node>& nodes, const std::vector<Edge>& edges) {
    return json_text::Write(GraphValue(nodes, edges));
}

void DecodeGraph(std::string_view text, std::vector<Node>& nodes, std::vector<Edge>& edges) {
    try {
        json::value v = json::parse(text);
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

}  // namespace uxf::flows
