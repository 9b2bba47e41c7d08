// The pattern library in the search index: each pattern once per locale, so a query in any of the four languages
// finds it by the words of that language.
#include <algorithm>
#include <map>

#include "documents.hpp"
#include "uxf/knowledge/patterns.hpp"
#include "uxf/platform/text_index.hpp"

namespace uxf::knowledge {

void KnowledgeService::IndexPatterns() {
    db_.Write([&](db::Tx& tx) {
        for (const auto& p : BuiltInPatterns())
            for (const auto& [locale, text] : p.locales) {
                std::string all = text.name + "\n" + text.description;
                for (const auto& t : p.tags) all += "\n" + t;
                for (const auto& [id, label] : text.labels) all += "\n" + label;
                patterns_->Put(tx, kPatternScope, p.id, p.id + ":" + locale, IndexTerms(all, locale));
            }
    });
}

Result<std::vector<PatternHit>> KnowledgeService::SearchPatterns(const std::string& q, std::size_t k,
                                                                 const std::string& locale) const {
    if (k < 1 || k > settings_.max_search_k)
        return Error::Invalid("bad search", {{"k", "must be from 1 to " + std::to_string(settings_.max_search_k)}});
    auto hit = [&](const Pattern& p, double score) {
        const PatternText& t = p.Text(locale);
        return PatternHit{p.id, t.name, t.description, p.tags, score};
    };
    std::vector<PatternHit> out;
    auto terms = QueryTerms(q);
    if (terms.empty()) {
        for (const auto& p : BuiltInPatterns()) {
            if (out.size() == k) break;
            out.push_back(hit(p, 0));
        }
        return out;
    }
    // Each pattern is in the index once per locale: its best locale counts.
    auto hits = db_.Read(
        [&](db::Tx& tx) { return patterns_->Search(tx, kPatternScope, terms, k * std::size(kPatternLocales)); });
    std::map<std::string, double> best;
    std::vector<std::string> order;
    for (const auto& h : hits)
        if (best.emplace(h.group, h.score).second) order.push_back(h.group);
    for (const auto& id : order) {
        if (out.size() == k) break;
        if (const Pattern* p = FindPattern(id)) out.push_back(hit(*p, best[id]));
    }
    return out;
}

}  // namespace uxf::knowledge
