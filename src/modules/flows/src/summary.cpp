#include <map>

#include <fmt/format.h>

#include "uxf/flows/flow_service.hpp"

namespace uxf::flows {
namespace {

std::string Counted(std::size_t n, std::string_view noun) { return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s"); }

template <class Item, class KindOf>
void Describe(const std::vector<Item>& before, const std::vector<Item>& after, KindOf kind_of,
              std::vector<std::string>& added, std::vector<std::string>& removed, std::vector<std::string>& changed) {
    std::map<std::string, const Item*> old_items, new_items;
    for (const auto& i : before) old_items[i.id] = &i;
    for (const auto& i : after) new_items[i.id] = &i;
    std::map<std::string, std::size_t> add_counts, remove_counts, change_counts;
    for (const auto& [id, item] : new_items) {
        auto it = old_items.find(id);
        if (it == old_items.end())
            ++add_counts[kind_of(*item)];
        else if (!(*it->second == *item))
            ++change_counts[kind_of(*item)];
    }
    for (const auto& [id, item] : old_items)
        if (!new_items.contains(id)) ++remove_counts[kind_of(*item)];
    for (const auto& [k, n] : add_counts) added.push_back(Counted(n, k));
    for (const auto& [k, n] : remove_counts) removed.push_back(Counted(n, k));
    for (const auto& [k, n] : change_counts) changed.push_back(Counted(n, k));
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
    std::vector<std::string> added, removed, changed;
    Describe(
        before.nodes, after.nodes, [](const Node& n) { return std::string(NodeTypeName(n.type)); }, added, removed,
        changed);
    Describe(
        before.edges, after.edges, [](const Edge&) { return std::string("edge"); }, added, removed, changed);
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
