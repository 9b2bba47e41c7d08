#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "uxf/flows/model.hpp"

namespace uxf::flows {

enum class Severity { kError, kWarning };

/// One finding of `Validate`, with the nodes and edges it is about.
struct Diagnostic {
    Severity severity = Severity::kError;
    std::string code;  ///< no_start, multiple_starts, unreachable_node, dead_end, dangling_edge, duplicate_id,
                       ///< decision_needs_branches, no_end_reachable, self_loop
    std::string message;
    std::vector<std::string> node_ids;
    std::vector<std::string> edge_ids;
};

/// Checks a graph like a linter. Notes are annotations: exempt from reachability and dead ends.
/// A flow is valid when no diagnostic is an error.
std::vector<Diagnostic> Validate(const FlowDraft& flow);
bool IsValid(const std::vector<Diagnostic>& diagnostics);

struct AnalysisLimits {
    std::int64_t path_cap = 10000;       ///< stop counting simple paths past this many
    std::int64_t step_budget = 2000000;  ///< and after this many search steps, whatever the count
};

struct Analytics {
    std::int64_t nodes = 0, edges = 0, screens = 0, decisions = 0;
    std::int64_t max_depth = 0;            ///< longest shortest distance (in edges) from a start to any node
    std::int64_t paths_start_to_end = 0;   ///< simple paths from a start to an end node
    bool paths_capped = false;             ///< true: there are more than `paths_start_to_end`
    std::vector<std::string> dead_ends;    ///< non-end nodes without a way out
    std::vector<std::string> unreachable;  ///< nodes no start leads to
    double avg_branching = 0;              ///< mean outgoing edges of the nodes that have any
};

Analytics Analyze(const FlowDraft& flow, const AnalysisLimits& limits = {});

struct FieldChange {
    std::string id;
    std::vector<std::string> fields;  ///< e.g. label, type, data, position / source, target, trigger, condition
};

/// What changed from `a` to `b`, by node and edge id.
struct FlowDiff {
    std::vector<std::string> added_nodes, removed_nodes, added_edges, removed_edges;
    std::vector<FieldChange> changed_nodes, changed_edges;
    std::vector<std::string> changed_meta;  ///< name, description
};

FlowDiff Diff(const FlowDraft& a, const FlowDraft& b);

}  // namespace uxf::flows
