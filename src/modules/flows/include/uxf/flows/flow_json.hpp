#pragma once
#include <string>
#include <string_view>

#include "uxf/core/result.hpp"
#include "uxf/flows/model.hpp"
#include "uxf/flows/settings.hpp"

namespace uxf::flows {

/// The flow document format: the JSON representation docs/api.md shows, which is also the lossless `json` export.
/// Parsing is strict: wrong types, unknown node types or triggers, duplicate ids and edges to missing nodes are
/// field errors (`nodes[2].type`), answered 400; passing a limit is 422 `limit_exceeded`. Read-only fields (id,
/// version, timestamps, authors) are ignored. Missing node and edge ids are generated.
Result<FlowDraft> ParseFlowDocument(std::string_view json, const FlowSettings& limits);
/// The flow document of a stored flow (with its read-only fields); what ParseFlowDocument reads back.
std::string FlowToJson(const Flow& flow);

}  // namespace uxf::flows
