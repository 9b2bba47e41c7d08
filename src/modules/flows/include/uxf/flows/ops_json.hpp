// Ops in the flow document's JSON (docs/api.md, Flows): what `POST /flows/{id}/ops` reads, what an AI refinement
// answers and what a proposal keeps. Read with the flow document's reader, so a node in an `add_node` op means the
// same, and is refused for the same reasons, as in a whole document.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "uxf/core/result.hpp"
#include "uxf/flows/analysis.hpp"
#include "uxf/flows/ops.hpp"

namespace uxf::flows {

/// `{base_version, ops:[...]}` (without `with_base_version`, `base_version` is not read), strictly: every problem is
/// a field error naming where it is (`ops[2].node.type`), 400; more ops than a flow may hold elements is 422.
Result<OpsRequest> ParseOpsRequest(std::string_view json, const FlowSettings& limits, bool with_base_version);
/// The ops as a JSON array, in the form ParseOpsRequest reads back.
std::string OpsToJson(const std::vector<Op>& ops);
/// A diff as the API answers it: `{added_nodes, removed_nodes, changed_nodes:[{id, fields}], added_edges, ...}`.
std::string DiffToJson(const FlowDiff& diff);

}  // namespace uxf::flows
