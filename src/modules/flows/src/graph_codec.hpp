// Storage form of a graph: the `nodes` and `edges` of the flow document, as compact JSON text.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "uxf/core/result.hpp"
#include "uxf/flows/model.hpp"

namespace uxf::flows {

/// Puts each node's `data` in the form json_text::Write gives (what reading the stored graph gives back), so a
/// written flow in memory equals the same flow read from storage. A `data` that is not a JSON object (possible
/// only from in-process callers: parsed documents are checked) is a field error.
Result<void> CanonicalData(std::vector<Node>& nodes);
/// One node or edge of the flow document, as JSON (node data as it is: see CanonicalData).
void AppendNode(std::string& out, const Node& node);
void AppendEdge(std::string& out, const Edge& edge);
/// Writes `"nodes":[...],"edges":[...]` straight from the model (no DOM); node data as it is (see CanonicalData).
void AppendGraph(std::string& out, const std::vector<Node>& nodes, const std::vector<Edge>& edges);
std::string EncodeGraph(const std::vector<Node>& nodes, const std::vector<Edge>& edges);
/// Reads what EncodeGraph wrote; throws std::runtime_error on a corrupt snapshot (a bug, never bad input).
void DecodeGraph(std::string_view text, std::vector<Node>& nodes, std::vector<Edge>& edges);

/// How a version's graph is stored: EncodeGraph's text packed with zstd (`kPackedFormat`, in the `packed`
/// column), or, for versions written before packing, the text itself (`kTextFormat`, in `graph`).
inline constexpr std::string_view kPackedFormat = "zstd+json";
inline constexpr std::string_view kTextFormat = "json";
std::string PackGraph(const std::vector<Node>& nodes, const std::vector<Edge>& edges);
/// Reads a stored graph of either format; throws std::runtime_error on an unknown format or a damaged one.
void UnpackGraph(std::string_view format, std::string_view text, std::string_view packed, std::vector<Node>& nodes,
                 std::vector<Edge>& edges);

}  // namespace uxf::flows
