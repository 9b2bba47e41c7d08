// Search of a workspace's chunks: by words (the platform's text index) for now; by meaning once embeddings are in.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "documents.hpp"
#include "text/words.hpp"
#include "uxf/core/strings.hpp"
#include "uxf/core/text.hpp"
#include "uxf/identity/workspace_service.hpp"
#include "uxf/knowledge/language.hpp"
#include "uxf/platform/text_index.hpp"

namespace uxf::knowledge {
namespace {

constexpr std::size_t kSnippetBytes = 280;

// The passage of `text` with the most query words (a window of about kSnippetBytes around the first match of the
// best sentence), HTML-escaped, its query words in <mark>.
std::string Snippet(std::string_view text, std::string_view language, const std::set<std::string>& terms) {
    auto spans = WordSpans(text);
    std::vector<bool> hit(spans.size());
    for (std::size_t i = 0; i < spans.size(); ++i) {
        auto words = Words(text.substr(spans[i].offset, spans[i].length));
        if (words.empty()) continue;
        hit[i] = terms.contains(words.front()) || terms.contains(Stem(words.front(), language));
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

}  // namespace

namespace {

using Ranked = std::vector<std::pair<std::string, double>>;  // chunk id and score, best first

// Reciprocal rank fusion (Cormack et al. 2009): each list gives 1 / (60 + rank); lists agreeing on a chunk lift it.
Ranked Fuse(const Ranked& a, const Ranked& b, std::size_t k) {
    std::map<std::string, double> score;
    for (const Ranked* list : {&a, &b})
        for (std::size_t i = 0; i < list->size(); ++i) score[(*list)[i].first] += 1.0 / (60.0 + double(i + 1));
    Ranked out(score.begin(), score.end());
    std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
        return x.second != y.second ? x.second > y.second : x.first < y.first;
    });
    if (out.size() > k) out.resize(k);
    return out;
}

// The query's vector. Queries are often too short for their language to be told ("Erstattung"): then the query is
// read as each of the four languages and the readings are summed (a reading that knows none of its words is zero),
// so a German word finds English documents without the user naming a language.
std::vector<float> QueryVector(EmbeddingProvider& embeddings, const std::string& q) {
    auto detected = DetectLanguage(q);
    if (detected.reliable && detected.code != "other")
        return embeddings.Embed(std::vector<std::string>{q}, std::vector<std::string>{detected.code}).at(0);
    std::vector<std::string> texts(4, q), languages{"en", "de", "es", "fr"};
    auto readings = embeddings.Embed(texts, languages);
    std::vector<float> sum(embeddings.dimensions(), 0.0f);
    for (const auto& r : readings)
        for (std::size_t i = 0; i < sum.size() && i < r.size(); ++i) sum[i] += r[i];
    double norm = 0;
    for (float x : sum) norm += double(x) * x;
    if (norm > 0)
        for (float& x : sum) x = static_cast<float>(x / std::sqrt(norm));
    return sum;
}

}  // namespace

Result<std::vector<SearchHit>> KnowledgeService::Search(const std::string& workspace_id, const SearchQuery& query,
                                                        const RequestMeta& meta) const {
    if (query.k < 1 || query.k > settings_.max_search_k)
        return Error::Invalid("bad search", {{"k", "must be from 1 to " + std::to_string(settings_.max_search_k)}});
    if (query.mode == SearchMode::kVector && !embeddings_)
        return Error::Make(ErrorCode::kUnavailable, "embeddings_unavailable",
                           "search by meaning needs word vectors, and this server has none (uxflow admin "
                           "import-vectors); use mode=keyword or mode=hybrid");
    auto terms = QueryTerms(query.q);
    bool by_words = query.mode != SearchMode::kVector;
    bool by_meaning = query.mode != SearchMode::kKeyword && embeddings_;
    std::size_t pool = by_words && by_meaning ? std::max<std::size_t>(query.k * 4, 40) : query.k;
    std::vector<float> q_vector;
    if (by_meaning && !Trim(query.q).empty()) q_vector = QueryVector(*embeddings_, query.q);
    return db_.Read([&](db::Tx& tx) -> Result<std::vector<SearchHit>> {
        auto role = workspaces_.Authorize(tx, meta.user_id, workspace_id, identity::Role::kViewer);
        if (!role.ok()) return role.error();
        Ranked words, meaning;
        if (by_words && !terms.empty())
            for (auto& h : index_->Search(tx, workspace_id, terms, pool, query.document_id))
                words.emplace_back(std::move(h.key), h.score);
        if (by_meaning && !q_vector.empty()) {
            // An exact scan of the workspace's vectors of this model (cosine: both sides are unit length).
            std::string sql =
                "SELECT id, embedding FROM knowledge_chunks WHERE workspace_id = :w AND embedding_model = :m";
            std::vector<db::Value> params{workspace_id, ModelName(*embeddings_)};
            if (!query.document_id.empty()) {
                sql += " AND document_id = :d";
                params.emplace_back(query.document_id);
            }
            for (const auto& r : tx.Query(sql, params)) {
                auto v = UnpackVector(r.Str(1));
                if (v.size() != q_vector.size()) continue;
                double dot = 0;
                for (std::size_t i = 0; i < v.size(); ++i) dot += double(v[i]) * q_vector[i];
                meaning.emplace_back(r.Str(0), dot);
            }
            std::sort(meaning.begin(), meaning.end(), [](const auto& x, const auto& y) {
                return x.second != y.second ? x.second > y.second : x.first < y.first;
            });
            if (meaning.size() > pool) meaning.resize(pool);
        }
        Ranked ranked = by_words && by_meaning ? Fuse(words, meaning, query.k) : by_words ? words : meaning;
        if (ranked.size() > query.k) ranked.resize(query.k);
        std::vector<SearchHit> out;
        if (ranked.empty()) return out;
        std::string rows_sql =
            "SELECT c.id, c.document_id, d.title, c.heading, c.text, c.language FROM knowledge_chunks c JOIN "
            "knowledge_documents d ON d.id = c.document_id WHERE c.workspace_id = :w AND c.id IN (";
        std::vector<db::Value> params{workspace_id};
        for (std::size_t i = 0; i < ranked.size(); ++i) {
            rows_sql += (i ? ", :c" : ":c") + std::to_string(i);
            params.emplace_back(ranked[i].first);
        }
        rows_sql += ")";
        std::map<std::string, db::Row> rows;
        for (auto& r : tx.Query(rows_sql, params)) rows.emplace(r.Str(0), std::move(r));
        std::set<std::string> term_set(terms.begin(), terms.end());
        for (const auto& [id, score] : ranked) {
            auto it = rows.find(id);
            if (it == rows.end()) continue;  // indexed by a transaction this read does not see whole
            const db::Row& r = it->second;
            out.push_back({r.Str(1), r.Str(0), r.Str(2), r.Str(3), r.Str(4), Snippet(r.Str(4), r.Str(5), term_set),
                           score, r.Str(5)});
        }
        return out;
    });
}

}  // namespace uxf::knowledge
