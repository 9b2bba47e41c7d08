// Search of a workspace's chunks: by words (the platform's text index) for now; by meaning once embeddings are in.
#include <map>
#include <set>

#include "documents.hpp"
#include "text/words.hpp"
#include "uxf/identity/workspace_service.hpp"
#include "uxf/platform/text_index.hpp"

namespace uxf::knowledge {
namespace {

void AppendEscaped(std::string& out, std::string_view s) {
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
}

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
        AppendEscaped(out, text.substr(pos, spans[i].offset - pos));
        if (hit[i]) out += "<mark>";
        AppendEscaped(out, text.substr(spans[i].offset, spans[i].length));
        if (hit[i]) out += "</mark>";
        pos = spans[i].offset + spans[i].length;
    }
    if (i < spans.size())
        out += " …";
    else
        AppendEscaped(out, text.substr(pos, 16));  // the punctuation after the last word
    return out;
}

}  // namespace

Result<std::vector<SearchHit>> KnowledgeService::Search(const std::string& workspace_id, const SearchQuery& query,
                                                        const RequestMeta& meta) const {
    if (query.k < 1 || query.k > settings_.max_search_k)
        return Error::Invalid("bad search", {{"k", "must be from 1 to " + std::to_string(settings_.max_search_k)}});
    if (query.mode == SearchMode::kVector)
        return Error::Make(ErrorCode::kUnavailable, "embeddings_unavailable",
                           "search by meaning needs an embedding provider, and none is configured; use mode=keyword "
                           "or mode=hybrid");
    auto terms = QueryTerms(query.q);
    return db_.Read([&](db::Tx& tx) -> Result<std::vector<SearchHit>> {
        auto role = workspaces_.Authorize(tx, meta.user_id, workspace_id, identity::Role::kViewer);
        if (!role.ok()) return role.error();
        std::vector<SearchHit> out;
        if (terms.empty()) return out;
        auto hits = index_->Search(tx, workspace_id, terms, query.k, query.document_id);
        if (hits.empty()) return out;
        std::string sql =
            "SELECT c.id, c.document_id, d.title, c.heading, c.text, c.language FROM knowledge_chunks c JOIN "
            "knowledge_documents d ON d.id = c.document_id WHERE c.workspace_id = :w AND c.id IN (";
        std::vector<db::Value> params{workspace_id};
        for (std::size_t i = 0; i < hits.size(); ++i) {
            sql += (i ? ", :c" : ":c") + std::to_string(i);
            params.emplace_back(hits[i].key);
        }
        sql += ")";
        std::map<std::string, db::Row> rows;
        for (auto& r : tx.Query(sql, params)) rows.emplace(r.Str(0), std::move(r));
        std::set<std::string> term_set(terms.begin(), terms.end());
        for (const auto& h : hits) {
            auto it = rows.find(h.key);
            if (it == rows.end()) continue;  // indexed by a transaction this read does not see whole
            const db::Row& r = it->second;
            out.push_back({r.Str(1), r.Str(0), r.Str(2), r.Str(3), r.Str(4), Snippet(r.Str(4), r.Str(5), term_set),
                           h.score, r.Str(5)});
        }
        return out;
    });
}

}  // namespace uxf::knowledge
