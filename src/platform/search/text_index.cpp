#include "uxf/platform/text_index.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

namespace uxf::search {
namespace {

constexpr std::size_t kMaxQueryWords = 64;

// The query's distinct words (at most kMaxQueryWords), each quoted for the engine: `quote` doubled inside.
std::vector<std::string> Quoted(std::span<const std::string> words, char quote) {
    std::set<std::string> seen;
    std::vector<std::string> out;
    for (const auto& w : words) {
        if (w.empty() || !seen.insert(w).second) continue;
        std::string q(1, quote);
        for (char c : w) {
            if (c == quote) q += quote;
            q += c;
        }
        q += quote;
        out.push_back(std::move(q));
        if (out.size() == kMaxQueryWords) break;
    }
    return out;
}

// Counts per word through `count` (a batch of distinct words in, a count per word found out), in `words`' order;
// a word no entry holds counts 0.
std::vector<std::int64_t> CountEach(
    std::span<const std::string> words,
    const std::function<std::map<std::string, std::int64_t>(const std::vector<std::string>&)>& count) {
    std::vector<std::string> distinct(words.begin(), words.end());
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    std::map<std::string, std::int64_t> counts;
    for (std::size_t from = 0; from < distinct.size(); from += kMaxQueryWords) {
        std::vector<std::string> batch(
            distinct.begin() + static_cast<std::ptrdiff_t>(from),
            distinct.begin() + static_cast<std::ptrdiff_t>(std::min(distinct.size(), from + kMaxQueryWords)));
        counts.merge(count(batch));
    }
    std::vector<std::int64_t> out;
    for (const auto& w : words) out.push_back(counts.contains(w) ? counts[w] : 0);
    return out;
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty()) out += sep;
        out += p;
    }
    return out;
}

class SqliteTextIndex final : public TextIndex {
  public:
    explicit SqliteTextIndex(std::string name) : name_(std::move(name)) {}

    void Put(db::Tx& tx, std::string_view scope, std::string_view group, std::string_view key,
             std::string_view terms) override {
        if (auto old = tx.QueryOne("SELECT r.id, r.scope, r.grp, t.terms FROM text_index_rows r JOIN text_index t ON "
                                   "t.rowid = r.id WHERE r.name = :n AND r.key = :k",
                                   {name_, std::string(key)})) {
            if (old->Str(1) == scope && old->Str(2) == group && old->Str(3) == terms) return;  // unchanged
            tx.Exec("DELETE FROM text_index WHERE rowid = :id", {old->Int(0)});
            tx.Exec("DELETE FROM text_index_rows WHERE id = :id", {old->Int(0)});
        }
        auto id =
            tx.QueryOne("INSERT INTO text_index_rows (name, scope, key, grp) VALUES (:n, :s, :k, :g) RETURNING id",
                        {name_, std::string(scope), std::string(key), std::string(group)})
                ->Int(0);
        // The FTS table's `scope` column (a token per scope, from when searches matched on it) is left empty.
        tx.Exec("INSERT INTO text_index (rowid, terms, scope) VALUES (:id, :t, '')", {id, std::string(terms)});
    }

    void RemoveGroup(db::Tx& tx, std::string_view group) override {
        tx.Exec("DELETE FROM text_index WHERE rowid IN (SELECT id FROM text_index_rows WHERE name = :n AND grp = :g)",
                {name_, std::string(group)});
        tx.Exec("DELETE FROM text_index_rows WHERE name = :n AND grp = :g", {name_, std::string(group)});
    }

    std::vector<TextHit> Search(db::Tx& tx, std::string_view scope, std::span<const std::string> words, std::size_t k,
                                std::string_view group) override {
        auto quoted = Quoted(words, '"');
        if (quoted.empty() || k == 0) return {};
        // The scope is checked on the rows, not in the MATCH: FTS5's bm25() reads the whole posting list of every
        // phrase of the query to weigh it, and a scope's token is in every entry of the scope (9 ms of each query at
        // 100,000 entries). The matches of other scopes are scored too: callers leave out words common enough to
        // make that costly (EntriesWith).
        std::vector<db::Value> params{"terms : (" + Join(quoted, " OR ") + ")", name_, std::string(scope)};
        std::string sql =
            "SELECT r.key, r.grp, m.s FROM (SELECT rowid AS id, bm25(text_index, 1.0, 0.0) AS s FROM text_index "
            "WHERE text_index MATCH :q) m JOIN text_index_rows r ON r.id = m.id WHERE r.name = :n AND r.scope = :s";
        if (!group.empty()) {
            sql += " AND r.grp = :g";
            params.emplace_back(std::string(group));
        }
        sql += " ORDER BY m.s, r.key LIMIT :k";
        params.emplace_back(static_cast<std::int64_t>(k));
        std::vector<TextHit> out;
        for (const auto& r : tx.Query(sql, params)) out.push_back({r.Str(0), r.Str(1), -std::stod(r.Str(2))});
        return out;
    }

    std::vector<std::int64_t> EntriesWith(db::Tx& tx, std::span<const std::string> words) override {
        return CountEach(words, [&](const std::vector<std::string>& batch) {
            std::string sql = "SELECT term, doc FROM text_index_vocab WHERE term IN (";
            std::vector<db::Value> params;
            for (const auto& w : batch) {
                sql += (params.empty() ? ":t" : ", :t") + std::to_string(params.size());
                params.emplace_back(w);
            }
            std::map<std::string, std::int64_t> counts;
            for (const auto& r : tx.Query(sql + ")", params)) counts[r.Str(0)] = r.Int(1);
            return counts;
        });
    }

    std::int64_t Entries(db::Tx& tx) override { return tx.QueryOne("SELECT COUNT(*) FROM text_index_rows")->Int(0); }

  private:
    std::string name_;
};

class PostgresTextIndex final : public TextIndex {
  public:
    explicit PostgresTextIndex(std::string name) : name_(std::move(name)) {}

    void Put(db::Tx& tx, std::string_view scope, std::string_view group, std::string_view key,
             std::string_view terms) override {
        std::int64_t length = std::count(terms.begin(), terms.end(), ' ') + (terms.empty() ? 0 : 1);
        tx.Exec(
            "INSERT INTO text_index_rows (name, scope, key, grp, terms, length) VALUES (:n, :s, :k, :g, "
            "to_tsvector('simple', :t), :l) ON CONFLICT (name, key) DO UPDATE SET scope = EXCLUDED.scope, grp = "
            "EXCLUDED.grp, terms = EXCLUDED.terms, length = EXCLUDED.length WHERE (text_index_rows.scope, "
            "text_index_rows.grp, text_index_rows.terms) IS DISTINCT FROM (EXCLUDED.scope, EXCLUDED.grp, "
            "EXCLUDED.terms)",
            {name_, std::string(scope), std::string(key), std::string(group), std::string(terms), length});
    }

    void RemoveGroup(db::Tx& tx, std::string_view group) override {
        tx.Exec("DELETE FROM text_index_rows WHERE name = :n AND grp = :g", {name_, std::string(group)});
    }

    std::vector<TextHit> Search(db::Tx& tx, std::string_view scope, std::span<const std::string> words, std::size_t k,
                                std::string_view group) override {
        auto quoted = Quoted(words, '\'');
        if (quoted.empty() || k == 0) return {};
        std::vector<db::Value> params{Join(quoted, " | "), name_, std::string(scope)};
        // ts_rank with normalisation 1: divided by 1 + log(length), so long chunks do not win by length alone.
        std::string sql =
            "SELECT r.key, r.grp, ts_rank(r.terms, q, 1) AS s FROM text_index_rows r, to_tsquery('simple', :q) q "
            "WHERE r.name = :n AND r.scope = :s AND r.terms @@ q";
        if (!group.empty()) {
            sql += " AND r.grp = :g";
            params.emplace_back(std::string(group));
        }
        sql += " ORDER BY s DESC, r.key LIMIT :k";
        params.emplace_back(static_cast<std::int64_t>(k));
        std::vector<TextHit> out;
        for (const auto& r : tx.Query(sql, params)) out.push_back({r.Str(0), r.Str(1), std::stod(r.Str(2))});
        return out;
    }

    std::vector<std::int64_t> EntriesWith(db::Tx& tx, std::span<const std::string> words) override {
        return CountEach(words, [&](const std::vector<std::string>& batch) {
            std::map<std::string, std::int64_t> counts;
            for (const auto& w : batch) {
                auto quoted = Quoted(std::span<const std::string>(&w, 1), '\'');
                if (quoted.empty()) continue;
                counts[w] = tx.QueryOne("SELECT COUNT(*) FROM text_index_rows WHERE terms @@ to_tsquery('simple', :q)",
                                        {quoted.front()})
                                ->Int(0);
            }
            return counts;
        });
    }

    std::int64_t Entries(db::Tx& tx) override { return tx.QueryOne("SELECT COUNT(*) FROM text_index_rows")->Int(0); }

  private:
    std::string name_;
};

}  // namespace

std::unique_ptr<TextIndex> OpenTextIndex(db::Backend backend, std::string name) {
    if (backend == db::Backend::kPostgres) return std::make_unique<PostgresTextIndex>(std::move(name));
    return std::make_unique<SqliteTextIndex>(std::move(name));
}

}  // namespace uxf::search
