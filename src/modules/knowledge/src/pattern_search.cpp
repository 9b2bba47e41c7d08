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
}

// The patterns by meaning: a vector per pattern and locale from its name, description and tags, made on first use
// (one batch for the provider) and kept in memory. When the provider fails, patterns are searched by words, and it is
// asked again a minute later.
std::shared_ptr<const VectorIndex> KnowledgeService::PatternVectors() const {
    if (!embeddings_) return nullptr;
    if (auto ready = pattern_vectors_.load()) return ready;
    std::unique_lock lock(pattern_mu_, std::try_to_lock);  // while one search makes them, the others use words
    if (!lock.owns_lock() || clock_.Now() < pattern_retry_at_) return nullptr;
    if (auto ready = pattern_vectors_.load()) return ready;
    try {
        std::vector<ChunkRef> refs;
        std::vector<std::string> texts, languages;
        for (const auto& p : BuiltInPatterns())
            for (const auto& [locale, text] : p.locales) {
                std::string all = text.name + "\n" + text.description;
                for (const auto& t : p.tags) all += "\n" + t;
                refs.push_back({p.id + ":" + locale, p.id});
                texts.push_back(std::move(all));
                languages.push_back(locale);
            }
        // The interactive path (a short timeout, two tries): someone is waiting for this search.
        auto vectors = embeddings_->EmbedQueries(texts, languages);
        if (vectors.empty()) return nullptr;
        auto index = std::make_shared<VectorIndex>(vectors.front().size(), VectorIndexSettings{});
        for (std::size_t i = 0; i < refs.size();) {  // a pattern's locales are adjacent
            std::size_t j = i;
            std::vector<float> flat;
            for (; j < refs.size() && refs[j].document_id == refs[i].document_id; ++j)
                flat.insert(flat.end(), vectors.at(j).begin(), vectors.at(j).end());
            index->PutDocument(refs[i].document_id, {refs.begin() + i, refs.begin() + j}, flat);
            i = j;
        }
        pattern_vectors_.store(std::move(index));
    } catch (const std::exception& e) {
        spdlog::warn("patterns are searched by words only for a minute: embedding them failed: {}", e.what());
        pattern_retry_at_ = clock_.Now() + kMinute;
    }
    return pattern_vectors_.load();
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
    std::string language = QueryLanguage(q);
    auto terms = QueryTerms(q, language);
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
    if (auto pattern_vectors = PatternVectors()) {
        try {
            auto v = EmbedQuery(q, language);
            for (const auto& h : pattern_vectors->Search(v, pool)) meaning.push_back({h.chunk->chunk_id, h.score});
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
