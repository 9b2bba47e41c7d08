#pragma once
#include <cstddef>

namespace uxf::flows {

/// Flow limits; passing one answers 422 `limit_exceeded` naming it. `app/` fills them from UXFLOW_* variables.
struct FlowSettings {
    std::size_t max_nodes = 2000;                ///< UXFLOW_MAX_NODES_PER_FLOW
    std::size_t max_edges = 5000;                ///< UXFLOW_MAX_EDGES_PER_FLOW
    std::size_t max_flows_per_workspace = 1000;  ///< UXFLOW_MAX_FLOWS_PER_WORKSPACE
    std::size_t max_label_chars = 200;           ///< node and edge labels, edge conditions
    std::size_t max_data_bytes = 16 * 1024;      ///< a node's `data` as compact JSON
    std::size_t max_name_chars = 200;
    std::size_t max_description_chars = 5000;
    std::size_t export_cache_bytes = 64u << 20;  ///< UXFLOW_EXPORT_CACHE_BYTES: rendered exports kept in memory
};

}  // namespace uxf::flows
