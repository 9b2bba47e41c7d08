#include "version_cache.hpp"

#include <fmt/format.h>

namespace uxf::flows {

std::string VersionKey(const std::string& flow_id, std::int64_t version, std::string_view format) {
    return fmt::format("{}/{}/{}", flow_id, version, format);
}

std::size_t MemoryOf(const ExportFile& f) { return f.body.size() + f.content_type.size() + f.filename.size(); }

std::size_t MemoryOf(const Graph& g) {
    std::size_t n = g.nodes.capacity() * sizeof(Node) + g.edges.capacity() * sizeof(Edge);
    for (const auto& node : g.nodes) n += node.id.size() + node.label.size() + node.data.size();
    for (const auto& e : g.edges)
        n += e.id.size() + e.source.size() + e.target.size() + e.label.size() + (e.condition ? e.condition->size() : 0);
    return n;
}

}  // namespace uxf::flows
