#pragma once
#include <cstddef>
#include <span>

#include "uxf/core/settings.hpp"

namespace uxf::flows {

/// Flow limits; passing one answers 422 `limit_exceeded` naming it. `app/` fills them from the UXFLOW_* variables of
/// FlowSettingsTable().
struct FlowSettings {
    std::size_t max_nodes = 2000;                ///< nodes in one flow
    std::size_t max_edges = 5000;                ///< edges in one flow
    std::size_t max_flows_per_workspace = 1000;  ///< flows in one workspace, deleted ones not counted
    std::size_t max_label_chars = 200;           ///< node and edge labels, edge conditions
    std::size_t max_data_bytes = 16 * 1024;      ///< a node's `data` as compact JSON
    std::size_t max_name_chars = 200;            ///< a flow's name
    std::size_t max_description_chars = 5000;    ///< a flow's description
    std::size_t export_cache_bytes = 64u << 20;  ///< rendered exports and encoded versions kept in memory
    std::size_t graph_cache_bytes = 32u << 20;   ///< decoded graphs of recently written or read versions
};

/// The UXFLOW_* variables of FlowSettings (the defaults are the struct's).
std::span<const settings::Entry<FlowSettings>> FlowSettingsTable();

}  // namespace uxf::flows
