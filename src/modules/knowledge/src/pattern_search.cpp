// The pattern library in the search indexes, by words and by meaning: each pattern once per locale, so a query in
// any of the four languages finds it by the words of that language; hybrid like the documents' search.
#include <algorithm>
#include <map>

#include "documents.hpp"
#include "uxf/core/log.hpp"
#include "uxf/knowledge/language.hpp"
#include "uxf/knowledge/patterns.hpp"
#include "uxf/platform/text_index.hpp"
#include "vector_index.hpp"

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
    if (!embeddings_) return;
    // By meaning: a vector per pattern and locale from its name, description and tags, kept in memory.
    try {
        std::unique_ptr<VectorIndex> index;
        for (const auto& p : BuiltInPatterns()) {
            std::vector<ChunkRef> refs;
            std::vector<std::string> texts, languages;
            for (const auto& [locale, text] : p.locales) {
                std::string all = text.name + "\n" + text.description;
                for (const auto& t : p.tags) all += "\n" + t;
                refs.push_back({p.id + ":" + locale, p.id});
                texts.push_back(std::move(all));
                languages.push_back(locale);
            }
            std::vector<float> flat;
            for (const auto& v : embeddings_->Embed(texts, languages)) flat.insert(flat.end(), v.begin(), v.end());
            if (!index)
                index = std::make_unique<VectorIndex>(flat.size() / std::max<std::size_t>(refs.size(), 1),
                                                      VectorIndexSettings{});
            index->PutDocument(p.id, std::move(refs), flat);
        }
        pattern_vectors_ = std::move(index);
    } catch (const std::exception& e) {
        spdlog::warn("patterns are searched by words only: embedding them failed: {}", e.what());
    }
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
    // Each pattern is in the indexes once per locale: its best locale counts.
    std::size_t pool = std::max<std::size_t>(k, 10) * std::size(kPatternLocales);
    Ranked words, meaning;
    for (auto& h : db_.Read([&](db::Tx& tx) { return patterns_->Search(tx, kPatternScope, terms, pool); }))
        words.push_back({std::move(h.key), h.score});
    if (pattern_vectors_) {
        try {
            auto detected = DetectLanguage(q);
            auto v = EmbedQuery(q, detected.reliable && detected.code != "other" ? detected.code : "");
            for (const auto& h : pattern_vectors_->Search(v, pool)) meaning.push_back({h.chunk->chunk_id, h.score});
        } catch (const std::exception& e) {
            spdlog::warn("patterns searched by words only: the query could not be embedded: {}", e.what());
        }
    }
    std::map<std::string, double> best;
    std::vector<std::string> order;
    for (const auto& h : meaning.empty() ? words : Fuse(words, meaning, pool)) {
        std::string id = h.id.substr(0, h.id.rfind(':'));
        if (best.emplace(id, h.score).second) order.push_back(id);
    }
    for (const auto& id : order) {
        if (out.size() == k) break;
        if (const Pattern* p = FindPattern(id)) out.push_back(hit(*p, best[id]));
    }
    return out;
}

}  // namespace uxf::knowledge
