#include "uxf/knowledge/patterns.hpp"

#include <algorithm>
#include <stdexcept>

#include <boost/json.hpp>

#include "uxf/core/embedded.hpp"

namespace uxf::knowledge::pattern_files {
std::span<const EmbeddedFile> EmbeddedFiles();
}

namespace uxf::knowledge {
namespace {

namespace json = boost::json;

std::string Str(const json::object& o, const char* key) {
    auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

Pattern Parse(const EmbeddedFile& file) {
    try {
        auto doc = json::parse(file.content).as_object();
        Pattern p;
        p.id = Str(doc, "id");
        for (const auto& t : doc.at("tags").as_array()) p.tags.emplace_back(t.as_string());
        for (const auto& [locale, text] : doc.at("locales").as_object()) {
            const auto& o = text.as_object();
            PatternText t{Str(o, "name"), Str(o, "description"), {}};
            for (const auto& [id, label] : o.at("labels").as_object())
                t.labels.emplace(std::string(id), std::string(label.as_string()));
            p.locales.emplace(std::string(locale), std::move(t));
        }
        const auto& flow = doc.at("flow").as_object();
        for (const auto& n : flow.at("nodes").as_array())
            p.nodes.push_back({Str(n.as_object(), "id"), Str(n.as_object(), "type")});
        for (const auto& e : flow.at("edges").as_array()) {
            const auto& o = e.as_object();
            p.edges.push_back(
                {Str(o, "id"), Str(o, "source"), Str(o, "target"), Str(o, "trigger"), Str(o, "condition")});
        }
        if (p.id.empty() || !p.locales.contains("en")) throw std::runtime_error("no id or no English text");
        return p;
    } catch (const std::exception& e) {
        throw std::runtime_error("pattern file " + std::string(file.name) + ": " + e.what());
    }
}

}  // namespace

const PatternText& Pattern::Text(const std::string& locale) const {
    auto it = locales.find(locale);
    return it != locales.end() ? it->second : locales.at("en");
}

std::span<const Pattern> BuiltInPatterns() {
    static const std::vector<Pattern> patterns = [] {
        std::vector<Pattern> out;
        for (const auto& f : pattern_files::EmbeddedFiles()) out.push_back(Parse(f));
        std::sort(out.begin(), out.end(), [](const Pattern& a, const Pattern& b) { return a.id < b.id; });
        return out;
    }();
    return patterns;
}

const Pattern* FindPattern(const std::string& id) {
    auto all = BuiltInPatterns();
    auto it =
        std::lower_bound(all.begin(), all.end(), id, [](const Pattern& p, const std::string& k) { return p.id < k; });
    return it != all.end() && it->id == id ? &*it : nullptr;
}

}  // namespace uxf::knowledge
