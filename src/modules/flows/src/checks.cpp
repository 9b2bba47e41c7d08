#include "checks.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <unordered_set>

#include <fmt/format.h>

#include "uxf/core/strings.hpp"
#include "uxf/platform/crypto.hpp"

namespace uxf::flows {

bool IsValidElementId(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == ':'))
            return false;
    return true;
}

// Structure and limits shared by parsed documents and drafts made in code.
// Gives nodes and edges without an id a fresh one (documents may leave ids out; stored flows always have them).
void AssignMissingIds(FlowDraft& draft) {
    auto missing = [](const auto& items) {
        return std::any_of(items.begin(), items.end(), [](const auto& x) { return x.id.empty(); });
    };
    auto assign = [](auto& items, const char* prefix) {
        std::unordered_set<std::string> taken;
        for (const auto& x : items) taken.insert(x.id);
        for (auto& x : items)
            while (x.id.empty()) {
                std::string id = prefix + ToLower(Base32Encode(RandomBytes(5)));
                if (taken.insert(id).second) x.id = std::move(id);
            }
    };
    if (missing(draft.nodes)) assign(draft.nodes, "n_");
    if (missing(draft.edges)) assign(draft.edges, "e_");
}

// Ids present and unique, edge ends naming nodes. Sets of views into the draft: no copies of the ids.
void CheckStructure(const FlowDraft& draft, FieldErrors& r, const Path& at) {
    std::unordered_set<std::string_view> nodes, edges;
    nodes.reserve(draft.nodes.size());
    edges.reserve(draft.edges.size());
    Path node_list(at, "nodes"), edge_list(at, "edges");
    for (std::size_t i = 0; i < draft.nodes.size(); ++i) {
        const auto& n = draft.nodes[i];
        if (n.id.empty())
            r.Add(Path(Path(node_list, i), "id"), "is required");
        else if (!nodes.insert(n.id).second)
            r.Add(Path(Path(node_list, i), "id"), "duplicate node id \"" + n.id + "\"");
    }
    for (std::size_t i = 0; i < draft.edges.size(); ++i) {
        const auto& e = draft.edges[i];
        Path edge(edge_list, i);
        if (e.id.empty())
            r.Add(Path(edge, "id"), "is required");
        else if (!edges.insert(e.id).second)
            r.Add(Path(edge, "id"), "duplicate edge id \"" + e.id + "\"");
        for (const auto& [end, field] : {std::pair{&e.source, "source"}, std::pair{&e.target, "target"}}) {
            if (end->empty())
                r.Add(Path(edge, field), "is required");  // "" named no node, yet passed
            else if (!nodes.contains(*end))
                r.Add(Path(edge, field), "no node has id \"" + *end + "\"");
        }
    }
}

// The field rules the document reader applies while reading, for drafts made in code (imports, applied ops).
void CheckFields(const FlowDraft& d, FieldErrors& r, const Path& at) {
    const FlowSettings& limits = r.limits();
    r.Text(Path(at, "name"), d.name, limits.max_name_chars, TextKind::kLine);
    r.Text(Path(at, "description"), d.description, limits.max_description_chars, TextKind::kMultiline);
    Path node_list(at, "nodes"), edge_list(at, "edges");
    for (std::size_t i = 0; i < d.nodes.size(); ++i) {
        const Node& n = d.nodes[i];
        Path node(node_list, i);
        if (!n.id.empty() && !IsValidElementId(n.id)) r.Add(Path(node, "id"), "may hold only letters, digits and _-.:");
        r.Text(Path(node, "label"), n.label, limits.max_label_chars, TextKind::kMultiline);
        if (n.data.size() > limits.max_data_bytes)
            r.Limit(Path(node, "data"), fmt::format("at most {} bytes of data per node", limits.max_data_bytes));
        if (n.position)
            if (auto problem = PositionProblem(*n.position)) r.Add(Path(node, "position"), *problem);
    }
    for (std::size_t i = 0; i < d.edges.size(); ++i) {
        const Edge& e = d.edges[i];
        Path edge(edge_list, i);
        if (!e.id.empty() && !IsValidElementId(e.id)) r.Add(Path(edge, "id"), "may hold only letters, digits and _-.:");
        r.Text(Path(edge, "label"), e.label, limits.max_label_chars, TextKind::kMultiline);
        if (e.condition) r.Text(Path(edge, "condition"), *e.condition, limits.max_label_chars, TextKind::kMultiline);
    }
}

void CheckLimits(const FlowDraft& draft, FieldErrors& r, const Path& at) {
    const FlowSettings& limits = r.limits();
    if (draft.nodes.size() > limits.max_nodes)
        r.Limit(Path(at, "nodes"), fmt::format("at most {} nodes per flow (max_nodes_per_flow)", limits.max_nodes));
    if (draft.edges.size() > limits.max_edges)
        r.Limit(Path(at, "edges"), fmt::format("at most {} edges per flow (max_edges_per_flow)", limits.max_edges));
}

Result<void> CheckDraft(const FlowDraft& draft, const FlowSettings& limits) {
    FieldErrors r(limits);
    Path top;
    if (Trim(draft.name).empty()) r.Add(Path(top, "name"), "must not be empty");
    CheckFields(draft, r, top);
    CheckLimits(draft, r, top);
    CheckStructure(draft, r, top);
    return r.Finish();
}

}  // namespace uxf::flows
