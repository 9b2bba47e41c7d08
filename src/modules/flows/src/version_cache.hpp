// What is made from immutable flow versions, kept in memory: a version never changes, so neither does its encoded
// document, a rendered export, or its decoded graph. Bounded in bytes, least recently used out first; thread-safe.
#pragma once
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "uxf/flows/export.hpp"
#include "uxf/flows/model.hpp"

namespace uxf::flows {

/// The cache key of what `format` names ("api", an export format, "graph") for one version of a flow.
std::string VersionKey(const std::string& flow_id, std::int64_t version, std::string_view format);

/// A version's nodes and edges, decoded.
struct Graph {
    std::vector<Node> nodes;
    std::vector<Edge> edges;
};

/// Approximate memory of an item, for the budget.
std::size_t MemoryOf(const ExportFile& file);
std::size_t MemoryOf(const Graph& graph);

template <class T>
class VersionCache {
  public:
    using Item = std::shared_ptr<const T>;
    explicit VersionCache(std::size_t budget_bytes) : budget_(budget_bytes) {}

    Item Find(const std::string& key) {
        std::lock_guard lock(mu_);
        auto it = index_.find(key);
        if (it == index_.end()) return nullptr;
        order_.splice(order_.begin(), order_, it->second);
        return it->second->item;
    }

    void Put(const std::string& key, Item item) {
        std::size_t size = key.size() + MemoryOf(*item);
        if (size > budget_) return;
        std::lock_guard lock(mu_);
        if (index_.contains(key)) return;
        order_.push_front({key, std::move(item), size});
        index_[key] = order_.begin();
        used_ += size;
        while (used_ > budget_) {
            used_ -= order_.back().size;
            index_.erase(order_.back().key);
            order_.pop_back();
        }
    }

    std::size_t used_bytes() const {
        std::lock_guard lock(mu_);
        return used_;
    }

  private:
    struct Entry {
        std::string key;
        Item item;
        std::size_t size;
    };
    std::size_t budget_, used_ = 0;
    mutable std::mutex mu_;
    std::list<Entry> order_;  ///< most recently used first
    std::unordered_map<std::string, typename std::list<Entry>::iterator> index_;
};

}  // namespace uxf::flows
