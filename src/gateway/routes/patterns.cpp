#include "patterns.hpp"

#include <algorithm>

#include "uxf/core/strings.hpp"

namespace uxf::gateway {

Result<std::string> PatternLocale(const std::string& locale) {
    if (locale.empty()) return std::string("en");
    if (std::any_of(std::begin(knowledge::kPatternLocales), std::end(knowledge::kPatternLocales),
                    [&](const char* l) { return locale == l; }))
        return locale;
    return Error::Invalid("bad locale", {{"locale", "must be en, de, es or fr"}});
}

Result<flows::FlowDraft> DraftFromPattern(const knowledge::Pattern& p, const std::string& locale,
                                          const std::string& name) {
    const knowledge::PatternText& text = p.Text(locale);
    auto label = [&](const std::string& id) {
        auto it = text.labels.find(id);
        return it == text.labels.end() ? std::string() : it->second;
    };
    flows::FlowDraft d;
    d.name = Trim(name).empty() ? text.name : std::string(Trim(name));
    d.description = text.description;
    for (const auto& n : p.nodes) {
        auto type = flows::ParseNodeType(n.type);
        if (!type) throw std::runtime_error("pattern " + p.id + ": node " + n.id + " has unknown type " + n.type);
        d.nodes.push_back({n.id, *type, label(n.id)});
    }
    for (const auto& e : p.edges) {
        flows::Edge edge{e.id, e.source, e.target, label(e.id)};
        if (!e.trigger.empty()) {
            auto t = flows::ParseTrigger(e.trigger);
            if (!t)
                throw std::runtime_error("pattern " + p.id + ": edge " + e.id + " has unknown trigger " + e.trigger);
            edge.trigger = t;
        }
        if (!e.condition.empty()) edge.condition = e.condition;
        d.edges.push_back(std::move(edge));
    }
    return d;
}

}  // namespace uxf::gateway
