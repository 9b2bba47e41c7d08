// Full-text search on the database's own engine: SQLite FTS5 (BM25) or PostgreSQL's text search (tsvector, GIN,
// ts_rank normalised by length). Entries belong to a named index, a scope (a workspace: a search never leaves it)
// and a group (a document, removed as a whole). Callers give the words already normalised (lower-cased, stemmed
// per language), so both engines index the same terms and no engine-specific language configuration is needed.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "uxf/platform/database.hpp"

namespace uxf::search {

struct TextHit {
    std::string key, group;
    double score = 0;  ///< higher is more relevant; comparable within one search only
};

class TextIndex {
  public:
    virtual ~TextIndex() = default;
    /// Adds the entry `key`, or replaces it, in `scope` and `group`, holding `terms` (words separated by spaces).
    /// An entry that already holds exactly this is left as it is (re-indexing unchanged text writes nothing).
    virtual void Put(db::Tx& tx, std::string_view scope, std::string_view group, std::string_view key,
                     std::string_view terms) = 0;
    /// Removes every entry of `group`.
    virtual void RemoveGroup(db::Tx& tx, std::string_view group) = 0;
    /// The entries of `scope` (and of `group`, when given) holding any of `words`, most relevant first, at most `k`.
    virtual std::vector<TextHit> Search(db::Tx& tx, std::string_view scope, std::span<const std::string> words,
                                        std::size_t k, std::string_view group = {}) = 0;
    /// How many entries, of every index and scope, hold each of `words` (in their order), and how many entries
    /// there are in all: how common a word is, so that callers can leave out words too common to tell entries
    /// apart (a search's cost grows with the entries its words are in). Costs about as much as reading the words'
    /// posting lists: callers cache the counts.
    virtual std::vector<std::int64_t> EntriesWith(db::Tx& tx, std::span<const std::string> words) = 0;
    virtual std::int64_t Entries(db::Tx& tx) = 0;
};

/// The index `name` (apart from other names') on the engine of `backend`. Its tables come with the platform's
/// migrations (db::PlatformMigrations).
std::unique_ptr<TextIndex> OpenTextIndex(db::Backend backend, std::string name);

}  // namespace uxf::search
