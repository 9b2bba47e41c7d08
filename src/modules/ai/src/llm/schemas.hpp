// The JSON Schemas the models answer in: a whole flow document (a new flow) and `{summary, ops}` (a refinement).
// Both follow OpenAI's strict structured outputs (every property required, `additionalProperties: false`, optional
// values nullable), which Anthropic takes as a tool's input schema and Gemini after ToGeminiSchema.
#pragma once
#include <string>

namespace uxf::ai {

inline constexpr const char* kFlowSchemaName = "flow";
inline constexpr const char* kFlowOpsSchemaName = "flow_ops";

/// `{name, description, nodes: [{id, type, label, data: {sources}}], edges: [{id, source, target, label,
/// trigger}]}`; a source is `{kind: "pattern"|"document", id, chunk_id}` (chunk_id null for a pattern).
const std::string& FlowSchema();

/// `{summary, ops: [{op, id, node, edge, set}]}`: every op carries every member, null where its kind has none
/// (`set` lists every field, null meaning "unchanged"). DropNulls turns an answer into the ops of docs/api.md.
const std::string& FlowOpsSchema();

/// `json` with every object member whose value is null removed, at any depth; `json` as it is when it is not JSON.
std::string DropNulls(const std::string& json);

}  // namespace uxf::ai
