// The model's rules for a whole draft (fields, limits, structure), shared by CheckDraft and the document reader.
#pragma once
#include "uxf/flows/field_errors.hpp"
#include "uxf/flows/model.hpp"

namespace uxf::flows {

/// The field rules the document reader applies while reading, for drafts made in code (imports, applied ops).
/// Each reports the draft's fields under `at` (the document itself, or e.g. `operations[2].flow`).
void CheckFields(const FlowDraft& d, FieldErrors& r, const Path& at);
void CheckLimits(const FlowDraft& draft, FieldErrors& r, const Path& at);
/// Ids present and unique, edge ends naming nodes.
void CheckStructure(const FlowDraft& draft, FieldErrors& r, const Path& at);
/// Gives nodes and edges without an id a fresh one (documents may leave ids out; stored flows always have them).
void AssignMissingIds(FlowDraft& draft);

}  // namespace uxf::flows
