// Search of a workspace's chunks: by words (the platform's text index), by meaning (the vector store), or both
// fused (hybrid, the default).
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "documents.hpp"
#include "term_counts.hpp"
#include "text/words.hpp"
#include "uxf/core/log.hpp"
#include "uxf/core/lru_cache.hpp"
#include "uxf/core/strings.hpp"
#include "uxf/core/text.hpp"
#include "uxf/identity/workspace_service.hpp"
#include "uxf/knowledge/language.hpp"
#include "uxf/platform/text_index.hpp"
#include "vector_store.hpp"

namespace uxf::knowledge {
namespace {

constexpr std::size_t kSnippetBytes = 280;

// A word's first letter without its accent: a Snowball stem keeps its word's first letter, but the German and
// Spanish stemmers drop umlauts and acute accents ("Ärger" -> "arg"), so a word whose folded first letter starts no
// query term cannot stem to one, and is not stemmed.
char32_t Lead(std::string_view word) {
    std::size_t at = 0;
    long cp = NextCodePoint(word, at);
    if (cp >= 0xE0 && cp <= 0xE5) return U'a';
    if (cp >= 0xE8 && cp <= 0xEB) return U'e';
    if (cp >= 0xEC && cp <= 0xEF) return U'i';
    if (cp >= 0xF2 && cp <= 0xF6) return U'o';
    if (cp >= 0xF9 && cp <= 0xFC) return U'u';
    return static_cast<char32_t>(cp);
}

// The passage of `text` with the most query words (a window of about kSnippetBytes around the first match of the
// best sentence), HTML-escaped, its query words in <mark>.
std::string Snippet(std::string_view text, std::string_view language, const std::set<std::string>& terms) {
    auto spans = WordSpans(text);
    auto words = Words(text);  // the same split: words[i] is spans[i] lower-cased
    std::vector<bool> hit(spans.size());
    std::set<char32_t> leads;
    for (const auto& t : terms) leads.insert(Lead(t));
    std::unordered_map<std::string_view, bool> seen;  // a chunk repeats its words: stem each once
    for (std::size_t i = 0; i < spans.size() && i < words.size(); ++i) {
        if (words[i].empty() || !leads.contains(Lead(words[i]))) continue;
        auto [it, fresh] = seen.try_emplace(words[i], false);
        if (fresh) it->second = terms.contains(words[i]) || terms.contains(Stem(words[i], language));
        hit[i] = it->second;
    }
    // The window of kSnippetBytes holding the most hits, starting at a word.
    std::size_t best_start = 0, best_hits = 0;
    for (std::size_t i = 0, j = 0, hits = 0; i < spans.size(); ++i) {
        while (j < spans.size() && spans[j].offset + spans[j].length - spans[i].offset <= kSnippetBytes)
            hits += hit[j++];
        if (hits > best_hits) {
            best_hits = hits;
            best_start = i;
        }
        hits -= hit[i];
    }
    std::string out;
    if (spans.empty()) return out;
    std::size_t from = spans[best_start].offset;
    if (from > 0) out += "… ";
    std::size_t i = best_start, pos = from;
    for (; i < spans.size() && spans[i].offset + spans[i].length - from <= kSnippetBytes; ++i) {
        AppendXmlEscaped(out, text.substr(pos, spans[i].offset - pos));
        if (hit[i]) out += "<mark>";
        AppendXmlEscaped(out, text.substr(spans[i].offset, spans[i].length));
        if (hit[i]) out += "</mark>";
        pos = spans[i].offset + spans[i].length;
    }
    if (i < spans.size())
        out += " …";
    else
        AppendXmlEscaped(out, text.substr(pos, 16));  // the punctuation after the last word
    return out;
}

// Hybrid search fuses the two rankings by a convex combination of their scores, each divided by the best score of
// its list (BM25 has no upper bound; cosine is clamped at 0): 0.7 of meaning and 0.3 of words, the "TM2C2" fusion
// that Bruch, Gai and Ingber (2023, "An analysis of fusion functions for hybrid retrieval") found better than
// reciprocal rank fusion. Rank fusion was measured too, on the retrieval suite (bench/retrieval_eval): it lifted
// the many weak word matches (any one shared word) as much as strong ones, and lost to search by meaning alone at
// recall@1 (0.40 against 0.53 for this fusion; across languages 0.07 against 0.27). Weights 0.6 and 0.8 did worse
// than 0.7 on that suite (0.47 each).
constexpr double kMeaningWeight = 0.7;

}  // namespace

Ranked Fuse(const Ranked& words, const Ranked& meaning, std::size_t k) {
    double top_words = 0, top_meaning = 0;
    for (const auto& c : words) top_words = std::max(top_words, c.score);
    for (const auto& c : meaning) top_meaning = std::max(top_meaning, c.score);
    std::map<std::string, double> score;
    if (top_words > 0)
        for (const auto& c : words) score[c.id] += (1 - kMeaningWeight) * c.score / top_words;
    if (top_meaning > 0)
        for (const auto& c : meaning) score[c.id] += kMeaningWeight * std::max(c.score, 0.0) / top_meaning;
    Ranked out;
    for (auto& [id, s] : score) out.push_back({id, s});
    std::sort(out.begin(), out.end(),
              [](const auto& x, const auto& y) { return x.score != y.score ? x.score > y.score : x.id < y.id; });
    if (out.size() > k) out.resize(k);
    return out;
}

void KnowledgeService::WaitForVectorIndexes() { vectors_->WaitForBuilds(); }

std::string QueryLanguage(std::string_view q) {
    auto detected = DetectLanguage(q);
    return detected.reliable && detected.code != "other" ? detected.code : "";
}

size_t MemoryOf(const QueryVector& v) { return sizeof(QueryVector) + v.values.size() * sizeof(float); }

// The query's vector ("" for a language too short to be told: the provider reads it in every language it
// knows), cached: a remote provider answers in tens of milliseconds.
std::vector<float> KnowledgeService::EmbedQuery(const std::string& q, const std::string& language) const {
    std::string key = ModelName(*embeddings_) + "\n" + language + "\n" + q;
    if (auto hit = query_vectors_->Find(key)) return hit->values;
    auto v = embeddings_->EmbedQueries(std::vector<std::string>{q}, std::vector<std::string>{language}).at(0);
    query_vectors_->Put(key, std::make_shared<const QueryVector>(QueryVector{v}));
    return v;
}

Result<std::vector<SearchHit>> KnowledgeService::Search(const std::string& workspace_id, const SearchQuery& query,
                                                        const RequestMeta& meta) const {
    if (query.k < 1 || query.k > settings_.max_search_k)
        return Error::Invalid("bad search", {{"k", "must be from 1 to " + std::to_string(settings_.max_search_k)}});
    auto unavailable = [](const std::string& why) {
        return Error::Make(ErrorCode::kUnavailable, "embeddings_unavailable",
                           "search by meaning is not available: " + why + "; use mode=keyword");
    };
    if (query.mode == SearchMode::kVector && !embeddings_)
        return unavailable("this server has no embedding provider (uxflow admin import-vectors makes the local one)");
    std::string language = QueryLanguage(query.q);
    auto terms = QueryTerms(query.q, language);
    bool by_words = query.mode != SearchMode::kVector;
    bool by_meaning = query.mode != SearchMode::kKeyword && embeddings_;
    std::size_t pool = by_words && by_meaning ? std::max<std::size_t>(query.k * 4, 40) : query.k;
    std::vector<float> q_vector;
    if (by_meaning && !Trim(query.q).empty()) {
        try {
            q_vector = EmbedQuery(query.q, language);
        } catch (const std::exception& e) {
            if (query.mode == SearchMode::kVector) return unavailable(e.what());
            spdlog::warn("knowledge search by words only: the query could not be embedded: {}", e.what());
            by_meaning = false;
        }
    }
    return db_.Read([&](db::Tx& tx) -> Result<std::vector<SearchHit>> {
        auto role = workspaces_.Authorize(tx, meta.user_id, workspace_id, identity::Role::kViewer);
        if (!role.ok()) return role.error();
        Ranked words, meaning;
        // Words in too many chunks to tell them apart are left out (see term_counts.hpp); hybrid search leaves
        // them to its meaning side when the query has nothing else.
        if (by_words && !terms.empty())
            for (auto& h : index_->Search(tx, workspace_id,
                                          term_counts_->Distinctive(tx, *index_, terms, clock_.Now(), !by_meaning),
                                          pool, query.document_id))
                words.push_back({std::move(h.key), h.score});
        if (by_meaning && !q_vector.empty())
            for (auto& h :
                 vectors_->Search(tx, workspace_id, ModelName(*embeddings_), q_vector, pool, query.document_id))
                meaning.push_back({std::move(h.chunk_id), h.score});
        Ranked ranked;
        if (by_words && by_meaning)
            ranked = Fuse(words, meaning, query.k);
        else  // a single ranking was asked for k
            ranked = by_words ? std::move(words) : std::move(meaning);
        std::vector<SearchHit> out;
        if (ranked.empty()) return out;
        // By primary key only (a condition on workspace_id lets SQLite's planner scan the workspace's chunks
        // instead); the workspace is checked on each row below.
        std::string rows_sql =
            "SELECT c.id, c.document_id, d.title, c.heading, c.text, c.language, c.workspace_id FROM knowledge_chunks "
            "c JOIN knowledge_documents d ON d.id = c.document_id WHERE c.id IN (";
        std::vector<db::Value> params;
        for (std::size_t i = 0; i < ranked.size(); ++i) {
            rows_sql += (i ? ", :c" : ":c") + std::to_string(i);
            params.emplace_back(ranked[i].id);
        }
        rows_sql += ")";
        std::map<std::string, db::Row> rows;
        for (auto& r : tx.Query(rows_sql, params))
            if (r.Str(6) == workspace_id) rows.emplace(r.Str(0), std::move(r));
        std::set<std::string> term_set(terms.begin(), terms.end());
        for (const auto& c : ranked) {
            auto it = rows.find(c.id);
            if (it == rows.end()) continue;  // deleted by a transaction this read does not see whole
            const db::Row& r = it->second;
            out.push_back({r.Str(1), r.Str(0), r.Str(2), r.Str(3), r.Str(4), Snippet(r.Str(4), r.Str(5), term_set),
                           c.score, r.Str(5)});
        }
        return out;
    });
}

}  // namespace uxf::knowledge
