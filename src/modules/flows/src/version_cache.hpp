// What is made from immutable flow versions, kept in memory: a version never changes, so neither does its encoded
// document, a rendered export, or its decoded graph. Bounded in bytes, least recently used out first; thread-safe.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "uxf/core/lru_cache.hpp"
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

/// Immutable versions' documents, exports and graphs, bounded in bytes.
template <class T>
class VersionCache : public LruCache<T> {
  public:
    using LruCache<T>::LruCache;
};

}  // namespace uxf::flows
