// The model's rules for a whole draft (fields, limits, structure), shared by CheckDraft and the document reader.
#pragma once
#include "problems.hpp"
#include "uxf/flows/model.hpp"

namespace uxf::flows {

/// The field rules the document reader applies while reading, for drafts made in code (imports, applied ops).
void CheckFields(const FlowDraft& d, const FlowSettings& limits, Problems& r);
void CheckLimits(const FlowDraft& draft, const FlowSettings& limits, Problems& r);
/// Ids present and unique, edge ends naming nodes.
void CheckStructure(const FlowDraft& draft, Problems& r);
/// Gives nodes and edges without an id a fresh one (documents may leave ids out; stored flows always have them).
void AssignMissingIds(FlowDraft& draft);

}  // namespace uxf::flows
