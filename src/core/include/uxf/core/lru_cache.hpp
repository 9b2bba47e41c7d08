// A thread-safe cache bounded in bytes, least recently used out first, of immutable items shared with their
// readers. An item's size is `key.size() + MemoryOf(item)`, MemoryOf found by argument-dependent lookup next to T.
#pragma once
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace uxf {

template <class T>
class LruCache {
  public:
    using Item = std::shared_ptr<const T>;
    explicit LruCache(std::size_t budget_bytes) : budget_(budget_bytes) {}

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

}  // namespace uxf
