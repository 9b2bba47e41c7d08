#pragma once
#include <optional>
#include <string>
#include <vector>

#include "uxf/core/result.hpp"
#include "uxf/flows/analysis.hpp"
#include "uxf/flows/model.hpp"
#include "uxf/flows/settings.hpp"

namespace uxf::flows {

/// Fields an update sets; absent fields stay as they are. A present-but-empty optional inside clears the field.
struct NodePatch {
    std::optional<NodeType> type;
    std::optional<std::string> label;
    std::optional<std::string> data;  ///< compact JSON object
    std::optional<std::optional<Position>> position;
};

struct EdgePatch {
    std::optional<std::string> source, target, label;
    std::optional<std::optional<Trigger>> trigger;
    std::optional<std::optional<std::string>> condition;
};

/// One edit (docs/api.md, Flows: add_node, update_node, remove_node (its edges go too), add_edge, update_edge,
/// remove_edge, set_meta).
struct Op {
    enum class Kind { kAddNode, kUpdateNode, kRemoveNode, kAddEdge, kUpdateEdge, kRemoveEdge, kSetMeta };
    Kind kind = Kind::kAddNode;
    std::string id;  ///< the node or edge an update/remove names
    Node node;       ///< add_node
    Edge edge;       ///< add_edge
    NodePatch node_set;
    EdgePatch edge_set;
    std::optional<std::string> name, description;  ///< set_meta
};

struct OpsRequest {
    std::int64_t base_version = 0;
    std::vector<Op> ops;
};

/// Applies every op in order to `draft`, or none: a reference to a missing node or edge, a duplicate id or a
/// broken graph is 400 naming the op. Missing ids of added nodes and edges are generated.
Result<FlowDraft> ApplyOps(FlowDraft draft, const std::vector<Op>& ops, const FlowSettings& limits);

/// The ids (`node:x`, `edge:y`, `meta:name`) that ops touch when applied to `current` (removing a node touches
/// its edges there too), and those a diff changed; their intersection is what blocks a rebase.
std::vector<std::string> TouchedBy(const std::vector<Op>& ops, const FlowDraft& current);
std::vector<std::string> ChangedIn(const FlowDiff& diff);

}  // namespace uxf::flows
