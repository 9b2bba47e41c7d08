// Flows on the wire: the bodies of ops and batch requests read into the flows module's commands, and the JSON of
// its answers other than the flow document itself (which is the module's file format: flows/flow_json.hpp).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "uxf/core/result.hpp"
#include "uxf/flows/analysis.hpp"
#include "uxf/flows/flow_service.hpp"
#include "uxf/flows/ops.hpp"

namespace uxf::gateway {

/// `{base_version, ops:[...]}`, strictly: every problem is a field error naming where it is (`ops[2].node.type`),
/// 400; more ops than a flow may hold elements is 422. Nodes and edges are read as in the flow document.
Result<flows::OpsRequest> ReadOpsBody(std::string_view body, const flows::FlowSettings& limits);
/// `{operations:[...], atomic?}` with at most `max_items` operations. An item that cannot be read carries its
/// own error (fields named `operations[i]...`), so the others can still run.
Result<flows::BatchRequest> ReadBatchBody(std::string_view body, const flows::FlowSettings& limits,
                                          std::size_t max_items = 100);

std::string SummaryJson(const flows::FlowSummary& s);
std::string VersionJson(const flows::VersionInfo& v);
std::string DiagnosticsJson(const std::vector<flows::Diagnostic>& ds);
std::string AnalyticsJson(const flows::Analytics& a);
std::string DiffJson(const flows::FlowDiff& d);

}  // namespace uxf::gateway
