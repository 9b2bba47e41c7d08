#include "uxf/flows/settings.hpp"

namespace uxf::flows {
namespace {

using namespace settings;
using F = FlowSettings;

constexpr Entry<F> kTable[] = {
    Integer<&F::max_nodes>("UXFLOW_MAX_NODES_PER_FLOW", 1, 1'000'000,
                           "Nodes one flow may hold (422 limit_exceeded beyond)."),
    Integer<&F::max_edges>("UXFLOW_MAX_EDGES_PER_FLOW", 1, 1'000'000, "Edges one flow may hold."),
    Integer<&F::max_flows_per_workspace>("UXFLOW_MAX_FLOWS_PER_WORKSPACE", 1, 10'000'000,
                                         "Flows one workspace may hold (deleted ones do not count)."),
    Integer<&F::max_label_chars>("UXFLOW_MAX_LABEL_CHARS", 1, 100'000,
                                 "Longest node or edge label and edge condition, in characters."),
    Integer<&F::max_data_bytes>("UXFLOW_MAX_NODE_DATA_BYTES", 2, 10'000'000,
                                "Largest `data` object of one node, as compact JSON."),
    Integer<&F::max_name_chars>("UXFLOW_MAX_FLOW_NAME_CHARS", 1, 10'000, "Longest flow name, in characters."),
    Integer<&F::max_description_chars>("UXFLOW_MAX_FLOW_DESCRIPTION_CHARS", 1, 1'000'000,
                                       "Longest flow description, in characters."),
    Integer<&F::export_cache_bytes>(
        "UXFLOW_EXPORT_CACHE_BYTES", 0, 1LL << 34,
        "Memory for encoded documents and rendered exports of flow versions (versions never change, so they are "
        "reused)."),
    Integer<&F::graph_cache_bytes>(
        "UXFLOW_GRAPH_CACHE_BYTES", 0, 1LL << 34,
        "Memory for decoded graphs of flow versions, so a write to a flow starts from its current graph without "
        "decoding it."),
};

}  // namespace

std::span<const Entry<F>> FlowSettingsTable() { return kTable; }

}  // namespace uxf::flows
