#include "term_counts.hpp"

#include <algorithm>

#include "uxf/platform/text_index.hpp"

namespace uxf::knowledge {

std::vector<std::string> TermCounts::Distinctive(db::Tx& tx, search::TextIndex& index,
                                                 const std::vector<std::string>& terms, Micros now, bool or_rarest) {
    if (terms.size() < 2 && or_rarest) return terms;
    std::vector<std::int64_t> counts(terms.size(), -1);
    std::int64_t entries = 0;
    std::vector<std::string> missing;
    {
        std::lock_guard lock(mu_);
        for (std::size_t i = 0; i < terms.size(); ++i)
            if (auto it = counts_.find(terms[i]); it != counts_.end() && now - it->second.second < settings_.max_age)
                counts[i] = it->second.first;
            else
                missing.push_back(terms[i]);
        entries = now - entries_at_ < settings_.max_age / 10 && entries_at_ >= 0 ? entries_ : -1;
    }
    // Counted outside the lock (a count reads posting lists); another search may count the same words meanwhile.
    std::vector<std::int64_t> fresh;
    if (!missing.empty()) fresh = index.EntriesWith(tx, missing);
    if (entries < 0) entries = index.Entries(tx);
    {
        std::lock_guard lock(mu_);
        if (counts_.size() + missing.size() > settings_.max_cached) counts_.clear();
        for (std::size_t i = 0; i < missing.size(); ++i) counts_[missing[i]] = {fresh[i], now};
        entries_ = entries;
        entries_at_ = now;
    }
    for (std::size_t i = 0, j = 0; i < terms.size(); ++i)
        if (counts[i] < 0) counts[i] = fresh[j++];
    auto limit = std::max<std::int64_t>(settings_.common_floor,
                                        static_cast<std::int64_t>(settings_.common_share * double(entries)));
    std::vector<std::string> out;
    for (std::size_t i = 0; i < terms.size(); ++i)
        if (counts[i] <= limit) out.push_back(terms[i]);
    if (out.empty() && or_rarest && !terms.empty())
        out.push_back(terms[std::min_element(counts.begin(), counts.end()) - counts.begin()]);
    return out;
}

}  // namespace uxf::knowledge
