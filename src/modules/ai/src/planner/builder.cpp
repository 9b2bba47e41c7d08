#include "planner/builder.hpp"

#include <algorithm>
#include <cctype>

#include <boost/json.hpp>

#include "uxf/core/text.hpp"
#include "uxf/platform/json_text.hpp"

namespace uxf::ai::planner {

std::string SourcesData(const std::vector<SourceRef>& sources) {
    if (sources.empty()) return "{}";
    std::string out = "{\"sources\":[";
    for (std::size_t i = 0; i < sources.size(); ++i) {
        const auto& s = sources[i];
        if (i) out += ',';
        out += "{\"kind\":";
        json_text::AppendString(out, s.kind);
        out += ",\"id\":";
        json_text::AppendString(out, s.id);
        if (!s.chunk_id.empty()) {
            out += ",\"chunk_id\":";
            json_text::AppendString(out, s.chunk_id);
        }
        out += '}';
    }
    return out + "]}";
}

std::vector<SourceRef> SourcesOf(std::string_view data) {
    std::vector<SourceRef> out;
    boost::system::error_code ec;
    auto v = json_text::Parse(data, ec);
    if (ec || !v.is_object()) return out;
    const auto* list = v.get_object().if_contains("sources");
    if (!list || !list->is_array()) return out;
    for (const auto& item : list->get_array()) {
        const auto* o = item.if_object();
        if (!o) continue;
        auto str = [&](const char* k) {
            const auto* s = o->if_contains(k);
            return s && s->is_string() ? std::string(s->get_string()) : std::string();
        };
        out.push_back({str("kind"), str("id"), str("chunk_id")});
    }
    return out;
}

std::string Slug(std::string_view label) {
    std::string out;
    bool gap = false;
    for (std::size_t i = 0; i < label.size() && out.size() < 32; ++i) {
        auto c = static_cast<unsigned char>(label[i]);
        char base = 0;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            base = static_cast<char>(c);
        } else if (c >= 'A' && c <= 'Z') {
            base = static_cast<char>(c + 32);
        } else if (c == 0xC3 && i + 1 < label.size()) {
            auto d = static_cast<unsigned char>(label[++i]) | 0x20;                        // fold case: À-Þ -> à-þ
            static constexpr std::string_view kBase = "aaaaaaaceeeeiiiidnooooo/ouuuuyty";  // à (0xA0) .. ÿ (0xBF)
            if (d >= 0xA0 && d <= 0xBF) base = kBase[d - 0xA0];
            if (d == 0xBF) base = 's';  // ß
            if (base == '/') base = 0;
        } else if (c >= 0x80) {
            while (i + 1 < label.size() && (static_cast<unsigned char>(label[i + 1]) & 0xC0) == 0x80) ++i;
        }
        if (base && (std::isalnum(static_cast<unsigned char>(base)))) {
            if (gap && !out.empty()) out += '_';
            out += base;
            gap = false;
        } else {
            gap = true;
        }
    }
    return out.empty() ? "node" : out;
}

std::string Clip(std::string text, std::size_t max_chars) {
    std::size_t chars = 0, i = 0;
    while (i < text.size() && chars < max_chars) {
        NextCodePoint(text, i);
        ++chars;
    }
    if (i >= text.size()) return text;
    text.resize(i);
    return text + "…";
}

GraphBuilder::GraphBuilder(flows::FlowDraft draft) : draft_(std::move(draft)) {
    for (const auto& n : draft_.nodes) ids_.insert(n.id);
    for (const auto& e : draft_.edges) ids_.insert(e.id);
}

std::string GraphBuilder::TakeId(std::string_view hint) {
    std::string base(hint.empty() ? "n" : hint);
    std::string id = base;
    for (int i = 2; ids_.count(id); ++i) id = base + "_" + std::to_string(i);
    ids_.insert(id);
    return id;
}

std::string GraphBuilder::AddNode(flows::NodeType type, std::string label, const std::vector<SourceRef>& sources,
                                  std::string_view id_hint) {
    std::string id = TakeId(id_hint.empty() ? Slug(label) : id_hint);
    draft_.nodes.push_back({id, type, Clip(std::move(label), kMaxLabelChars), SourcesData(sources), std::nullopt});
    return id;
}

std::string GraphBuilder::AddEdge(const std::string& source, const std::string& target, std::string label,
                                  std::optional<flows::Trigger> trigger) {
    std::string id = TakeId("e" + std::to_string(draft_.edges.size() + 1));
    draft_.edges.push_back({id, source, target, Clip(std::move(label), kMaxLabelChars), trigger, std::nullopt});
    return id;
}

flows::Node* GraphBuilder::Find(const std::string& id) {
    auto it = std::find_if(draft_.nodes.begin(), draft_.nodes.end(), [&](const flows::Node& n) { return n.id == id; });
    return it == draft_.nodes.end() ? nullptr : &*it;
}

flows::Edge* GraphBuilder::FindEdge(const std::string& id) {
    auto it = std::find_if(draft_.edges.begin(), draft_.edges.end(), [&](const flows::Edge& e) { return e.id == id; });
    return it == draft_.edges.end() ? nullptr : &*it;
}

std::vector<flows::Edge*> GraphBuilder::Out(const std::string& id) {
    std::vector<flows::Edge*> out;
    for (auto& e : draft_.edges)
        if (e.source == id) out.push_back(&e);
    return out;
}

std::vector<flows::Edge*> GraphBuilder::In(const std::string& id) {
    std::vector<flows::Edge*> out;
    for (auto& e : draft_.edges)
        if (e.target == id) out.push_back(&e);
    return out;
}

void GraphBuilder::RemoveNode(const std::string& id) {
    std::erase_if(draft_.edges, [&](const flows::Edge& e) { return e.source == id || e.target == id; });
    std::erase_if(draft_.nodes, [&](const flows::Node& n) { return n.id == id; });
}

void GraphBuilder::RemoveEdge(const std::string& id) {
    std::erase_if(draft_.edges, [&](const flows::Edge& e) { return e.id == id; });
}

}  // namespace uxf::ai::planner
