// Files made from immutable flow versions (the API document, exports), kept in memory: a version never changes,
// so neither does anything rendered from it. Bounded in bytes, least recently used out first; thread-safe.
#pragma once
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "uxf/flows/export.hpp"

namespace uxf::flows {

class VersionCache {
  public:
    using File = std::shared_ptr<const ExportFile>;
    explicit VersionCache(std::size_t budget_bytes) : budget_(budget_bytes) {}

    static std::string Key(const std::string& flow_id, std::int64_t version, std::string_view format);
    File Find(const std::string& key);
    void Put(const std::string& key, File file);
    std::size_t used_bytes() const;

  private:
    using Entry = std::pair<std::string, File>;
    std::size_t budget_, used_ = 0;
    mutable std::mutex mu_;
    std::list<Entry> order_;  ///< most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace uxf::flows
