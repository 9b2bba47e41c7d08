#pragma once
#include <map>
#include <string>
#include <string_view>

#include "uxf/core/result.hpp"
#include "uxf/flows/model.hpp"

namespace uxf::render {
class Graphviz;
}

namespace uxf::flows {

struct ExportFile {
    std::string content_type;
    std::string filename;
    std::string body;
};

/// Formats: json (lossless), mermaid, dot, svg, png, pdf, drawio, plantuml. 400 for an unknown format.
/// Nodes without positions get them from the `dot` layout where the format needs geometry (drawio).
Result<ExportFile> ExportFlow(const Flow& flow, std::string_view format, render::Graphviz& graphviz);

/// Gives every node without a position one from the `dot` layout (`direction` LR or TB), scaled to screen
/// pixels; positions already set are kept. Returns how many nodes it placed.
std::size_t AutoLayout(FlowDraft& flow, std::string_view direction, render::Graphviz& graphviz);

std::string ToMermaid(const FlowDraft& flow);
/// `rankdir`: LR or TB.
std::string ToDot(const FlowDraft& flow, std::string_view rankdir = "LR");
std::string ToPlantUml(const FlowDraft& flow);
/// mxGraph XML; nodes without a position sit at the origin (ExportFlow lays them out first).
std::string ToDrawio(const FlowDraft& flow);

/// A node id as a Mermaid/PlantUML identifier, reversibly: characters other than [A-Za-z0-9_] become _xHH_.
std::string SafeId(std::string_view id);
std::string UnsafeId(std::string_view safe);

}  // namespace uxf::flows
