// How common the words of a query are in the text index, cached: a search leaves out the words that are in so
// many entries that they tell none apart ("time", "people" in a large corpus), when the query has rarer ones. Their
// BM25 weight is small anyway (idf about ln(1/share)), while the cost of a search grows with the entries its words
// are in: at 100,000 chunks, three common words cost 100 ms and more, three distinctive ones a few.
#pragma once
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "uxf/core/clock.hpp"

namespace uxf::db {
class Tx;
}
namespace uxf::search {
class TextIndex;
}

namespace uxf::knowledge {

struct TermCountSettings {
    double common_share = 0.01;        ///< a word in more than this share of the entries is common...
    std::int64_t common_floor = 200;   ///< ...and in more than this many
    Micros max_age = 10 * kMinute;     ///< how long a count is trusted
    std::size_t max_cached = 200'000;  ///< counts kept (all dropped when full)
};

class TermCounts {
  public:
    explicit TermCounts(TermCountSettings settings = {}) : settings_(settings) {}
    /// `terms` without the common ones; when all are common, the rarest one alone, or none when `or_rarest` is
    /// false (hybrid search, whose meaning side covers a query of common words).
    std::vector<std::string> Distinctive(db::Tx& tx, search::TextIndex& index, const std::vector<std::string>& terms,
                                         Micros now, bool or_rarest = true);

  private:
    TermCountSettings settings_;
    std::mutex mu_;
    std::unordered_map<std::string, std::pair<std::int64_t, Micros>> counts_;  ///< term -> entries, when counted
    std::int64_t entries_ = 0;
    Micros entries_at_ = -1;
};

}  // namespace uxf::knowledge
