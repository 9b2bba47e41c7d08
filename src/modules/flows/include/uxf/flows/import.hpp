#pragma once
#include <string_view>

#include "uxf/core/result.hpp"
#include "uxf/flows/model.hpp"
#include "uxf/flows/settings.hpp"

namespace uxf::flows {

/// Mermaid flowchart subset: `flowchart|graph DIR`, node shapes (types from `class` lines our export writes, else
/// from the shape: stadium/circle = start or end, rhombus = decision, rectangle = screen, round/hexagon/
/// parallelogram = action, subroutine = subflow, asymmetric = note), edges `-->`, `---`, `-.->`, `==>` with labels
/// `-->|x|` or `-- x -->`, chains `A --> B --> C`, `A & B --> C`, `%%` comments; `subgraph` is flattened and kept
/// as a note. Errors name the line.
Result<FlowDraft> ParseMermaid(std::string_view text, const FlowSettings& limits);

/// Vertices and edges of an uncompressed diagrams.net (draw.io) file, with geometry as positions.
Result<FlowDraft> ParseDrawio(std::string_view xml, const FlowSettings& limits);

}  // namespace uxf::flows
