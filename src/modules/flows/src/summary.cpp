#include <map>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "uxf/flows/analysis.hpp"
#include "uxf/flows/flow_service.hpp"

namespace uxf::flows {
namespace {

std::string Counted(std::size_t n, std::string_view noun) { return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s"); }

// "2 screens, 1 decision" for node ids whose types `types` knows.
std::vector<std::string> NodeCounts(const std::vector<std::string>& ids,
                                    const std::unordered_map<std::string_view, NodeType>& types) {
    std::map<std::string_view, std::size_t> by_kind;
    for (const auto& id : ids) ++by_kind[NodeTypeName(types.at(id))];
    std::vector<std::string> out;
    for (const auto& [kind, n] : by_kind) out.push_back(Counted(n, kind));
    return out;
}

std::string Join(const std::vector<std::string>& parts) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i)
        out += (i ? (i + 1 == parts.size() ? " and " : ", ") : "") + parts[i];
    return out;
}

}  // namespace

std::string SummarizeCreation(const FlowDraft& draft) {
    return "created with " + Counted(draft.nodes.size(), "node") + " and " + Counted(draft.edges.size(), "edge");
}

std::string SummarizeChange(const FlowDraft& before, const FlowDraft& after) {
    FlowDiff d = Diff(before, after);
    std::unordered_map<std::string_view, NodeType> old_types, new_types;
    old_types.reserve(d.removed_nodes.size());
    new_types.reserve(d.added_nodes.size() + d.changed_nodes.size());
    for (const auto& id : d.removed_nodes) old_types.emplace(id, NodeType::kScreen);
    for (const auto& id : d.added_nodes) new_types.emplace(id, NodeType::kScreen);
    for (const auto& c : d.changed_nodes) new_types.emplace(c.id, NodeType::kScreen);
    for (const auto& n : before.nodes)  // only the types the summary names
        if (auto it = old_types.find(n.id); it != old_types.end()) it->second = n.type;
    for (const auto& n : after.nodes)
        if (auto it = new_types.find(n.id); it != new_types.end()) it->second = n.type;
    std::vector<std::string> changed_ids;
    for (const auto& c : d.changed_nodes) changed_ids.push_back(c.id);
    auto with_edges = [](std::vector<std::string> parts, std::size_t edges) {
        if (edges) parts.push_back(Counted(edges, "edge"));
        return parts;
    };
    auto added = with_edges(NodeCounts(d.added_nodes, new_types), d.added_edges.size());
    auto removed = with_edges(NodeCounts(d.removed_nodes, old_types), d.removed_edges.size());
    auto changed = with_edges(NodeCounts(changed_ids, new_types), d.changed_edges.size());
    std::vector<std::string> parts;
    if (!added.empty()) parts.push_back("added " + Join(added));
    if (!removed.empty()) parts.push_back("removed " + Join(removed));
    if (!changed.empty()) parts.push_back("changed " + Join(changed));
    if (before.name != after.name) parts.push_back("renamed to \"" + after.name + "\"");
    if (before.description != after.description) parts.push_back("edited the description");
    if (parts.empty()) return "no changes";
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : "") + parts[i];
    return out;
}

}  // namespace uxf::flows
