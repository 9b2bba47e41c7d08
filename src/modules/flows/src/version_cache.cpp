#include "version_cache.hpp"

#include <fmt/format.h>

namespace uxf::flows {
namespace {
std::size_t SizeOf(const std::string& key, const ExportFile& f) {
    return key.size() + f.body.size() + f.content_type.size() + f.filename.size();
}
}  // namespace

std::string VersionCache::Key(const std::string& flow_id, std::int64_t version, std::string_view format) {
    return fmt::format("{}/{}/{}", flow_id, version, format);
}

VersionCache::File VersionCache::Find(const std::string& key) {
    std::lock_guard lock(mu_);
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return it->second->second;
}

void VersionCache::Put(const std::string& key, File file) {
    std::size_t size = SizeOf(key, *file);
    if (size > budget_) return;
    std::lock_guard lock(mu_);
    if (index_.contains(key)) return;
    order_.emplace_front(key, std::move(file));
    index_[key] = order_.begin();
    used_ += size;
    while (used_ > budget_) {
        auto& last = order_.back();
        used_ -= SizeOf(last.first, *last.second);
        index_.erase(last.first);
        order_.pop_back();
    }
}

std::size_t VersionCache::used_bytes() const {
    std::lock_guard lock(mu_);
    return used_;
}

}  // namespace uxf::flows
