// Storage form of a graph: the `nodes` and `edges` of the flow document, as compact JSON text.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "uxf/flows/model.hpp"

namespace uxf::flows {

/// Writes `"nodes":[...],"edges":[...]` straight from the model (no DOM).
void AppendGraph(std::string& out, const std::vector<Node>& nodes, const std::vector<Edge>& edges);
std::string EncodeGraph(const std::vector<Node>& nodes, const std::vector<Edge>& edges);
/// Reads what EncodeGraph wrote; throws std::runtime_error on a corrupt snapshot (a bug, never bad input).
void DecodeGraph(std::string_view text, std::vector<Node>& nodes, std::vector<Edge>& edges);

}  // namespace uxf::flows
