#include "uxf/flows/analysis.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

namespace uxf::flows {
namespace {

// Adjacency by node index; edges to unknown nodes are left out (they are reported as dangling).
struct GraphIndex {
    explicit GraphIndex(const FlowDraft& f) : out(f.nodes.size()), in_degree(f.nodes.size(), 0) {
        for (std::size_t i = 0; i < f.nodes.size(); ++i) index.emplace(f.nodes[i].id, i);
        for (const auto& e : f.edges) {
            auto s = index.find(e.source), t = index.find(e.target);
            if (s == index.end() || t == index.end()) continue;
            out[s->second].push_back(t->second);
            ++in_degree[t->second];
        }
    }
    // BFS distances from every start node; -1 for unreachable.
    std::vector<std::int64_t> Depths(const FlowDraft& f) const {
        std::vector<std::int64_t> depth(f.nodes.size(), -1);
        std::deque<std::size_t> queue;
        for (std::size_t i = 0; i < f.nodes.size(); ++i)
            if (f.nodes[i].type == NodeType::kStart) {
                depth[i] = 0;
                queue.push_back(i);
            }
        while (!queue.empty()) {
            std::size_t n = queue.front();
            queue.pop_front();
            for (std::size_t m : out[n])
                if (depth[m] < 0) {
                    depth[m] = depth[n] + 1;
                    queue.push_back(m);
                }
        }
        return depth;
    }
    std::unordered_map<std::string, std::size_t> index;
    std::vector<std::vector<std::size_t>> out;
    std::vector<std::size_t> in_degree;
};

bool IsAnnotation(const Node& n) { return n.type == NodeType::kNote; }

// A non-end node whose only way out, if any, leads back to itself. The one definition Validate and Analyze use.
bool IsDeadEnd(const FlowDraft& f, const GraphIndex& g, std::size_t i) {
    if (f.nodes[i].type == NodeType::kEnd) return false;
    return std::none_of(g.out[i].begin(), g.out[i].end(), [&](std::size_t m) { return m != i; });
}

std::vector<std::string> Ids(const FlowDraft& f, const std::vector<std::size_t>& idx) {
    std::vector<std::string> out;
    for (auto i : idx) out.push_back(f.nodes[i].id);
    return out;
}

}  // namespace

std::vector<Diagnostic> Validate(const FlowDraft& f) {
    std::vector<Diagnostic> d;
    auto add = [&](Severity s, std::string code, std::string message, std::vector<std::string> nodes = {},
                   std::vector<std::string> edges = {}) {
        d.push_back({s, std::move(code), std::move(message), std::move(nodes), std::move(edges)});
    };
    std::map<std::string, int> node_seen, edge_seen;
    for (const auto& n : f.nodes) ++node_seen[n.id];
    for (const auto& e : f.edges) ++edge_seen[e.id];
    for (const auto& [id, count] : node_seen)
        if (count > 1)
            add(Severity::kError, "duplicate_id", fmt::format("{} nodes share the id \"{}\"", count, id), {id});
    for (const auto& [id, count] : edge_seen)
        if (count > 1)
            add(Severity::kError, "duplicate_id", fmt::format("{} edges share the id \"{}\"", count, id), {}, {id});

    GraphIndex g(f);
    std::vector<std::size_t> starts;
    for (std::size_t i = 0; i < f.nodes.size(); ++i)
        if (f.nodes[i].type == NodeType::kStart) starts.push_back(i);
    if (starts.empty()) add(Severity::kError, "no_start", "the flow has no start node");
    if (starts.size() > 1)
        add(Severity::kError, "multiple_starts", fmt::format("the flow has {} start nodes; keep one", starts.size()),
            Ids(f, starts));

    for (const auto& e : f.edges) {
        bool s = g.index.contains(e.source), t = g.index.contains(e.target);
        if (!s || !t)
            add(Severity::kError, "dangling_edge",
                fmt::format("edge \"{}\" points to a node that does not exist (\"{}\")", e.id,
                            !s ? e.source : e.target),
                {}, {e.id});
        else if (e.source == e.target)
            add(Severity::kWarning, "self_loop",
                fmt::format("edge \"{}\" leads from \"{}\" back to itself", e.id, e.source), {e.source}, {e.id});
    }

    auto depth = g.Depths(f);
    bool any_end_reachable = false;
    for (std::size_t i = 0; i < f.nodes.size(); ++i) {
        const Node& n = f.nodes[i];
        if (IsAnnotation(n)) continue;
        if (n.type == NodeType::kEnd && depth[i] >= 0) any_end_reachable = true;
        if (!starts.empty() && depth[i] < 0)
            add(Severity::kWarning, "unreachable_node", fmt::format("no path from the start reaches \"{}\"", n.id),
                {n.id});
        if (IsDeadEnd(f, g, i))
            add(Severity::kWarning, "dead_end",
                fmt::format("\"{}\" is not an end node but has no way out", n.label.empty() ? n.id : n.label), {n.id});
        if (n.type == NodeType::kDecision) {
            std::set<std::size_t> targets(g.out[i].begin(), g.out[i].end());
            if (targets.size() < 2)
                add(Severity::kError, "decision_needs_branches",
                    fmt::format("decision \"{}\" needs at least two outgoing branches",
                                n.label.empty() ? n.id : n.label),
                    {n.id});
        }
    }
    if (!starts.empty() && !any_end_reachable)
        add(Severity::kError, "no_end_reachable", "no end node can be reached from the start");
    return d;
}

bool IsValid(const std::vector<Diagnostic>& diagnostics) {
    return std::none_of(diagnostics.begin(), diagnostics.end(),
                        [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

Analytics Analyze(const FlowDraft& f, const AnalysisLimits& limits) {
    Analytics a;
    GraphIndex g(f);
    a.nodes = static_cast<std::int64_t>(f.nodes.size());
    a.edges = static_cast<std::int64_t>(f.edges.size());
    std::int64_t branching_nodes = 0, branching_edges = 0;
    auto depth = g.Depths(f);
    for (std::size_t i = 0; i < f.nodes.size(); ++i) {
        const Node& n = f.nodes[i];
        a.screens += n.type == NodeType::kScreen;
        a.decisions += n.type == NodeType::kDecision;
        if (IsAnnotation(n)) continue;
        a.max_depth = std::max(a.max_depth, depth[i]);
        if (depth[i] < 0) a.unreachable.push_back(n.id);
        if (IsDeadEnd(f, g, i)) a.dead_ends.push_back(n.id);
        if (!g.out[i].empty()) {
            ++branching_nodes;
            branching_edges += static_cast<std::int64_t>(g.out[i].size());
        }
    }
    if (branching_nodes) a.avg_branching = static_cast<double>(branching_edges) / static_cast<double>(branching_nodes);

    // Simple paths start -> end by depth-first search, bounded by a count cap and a step budget.
    std::vector<char> on_path(f.nodes.size(), 0);
    std::int64_t steps = 0;
    auto dfs = [&](auto&& self, std::size_t n) -> void {
        if (a.paths_capped) return;
        if (++steps > limits.step_budget) {
            a.paths_capped = true;
            return;
        }
        if (f.nodes[n].type == NodeType::kEnd) {
            if (++a.paths_start_to_end >= limits.path_cap) a.paths_capped = true;
            return;
        }
        on_path[n] = 1;
        for (std::size_t m : g.out[n])
            if (!on_path[m]) self(self, m);
        on_path[n] = 0;
    };
    for (std::size_t i = 0; i < f.nodes.size(); ++i)
        if (f.nodes[i].type == NodeType::kStart) dfs(dfs, i);
    return a;
}

namespace {

// Elements by id, sorted (ids are views into the draft): a diff walks two of these side by side, in id order.
template <class T>
std::vector<std::pair<std::string_view, const T*>> ById(const std::vector<T>& items) {
    std::vector<std::pair<std::string_view, const T*>> out;
    out.reserve(items.size());
    for (const auto& item : items) out.emplace_back(item.id, &item);
    std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    return out;
}

// Walks old and new elements in id order: added and removed ids, and the fields `changes` names for the others.
template <class T, class Changes>
void DiffById(const std::vector<T>& before, const std::vector<T>& after, std::vector<std::string>& added,
              std::vector<std::string>& removed, std::vector<FieldChange>& changed, Changes changes) {
    auto a = ById(before), b = ById(after);
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        if (j == b.size() || (i < a.size() && a[i].first < b[j].first)) {
            removed.emplace_back(a[i++].first);
        } else if (i == a.size() || b[j].first < a[i].first) {
            added.emplace_back(b[j++].first);
        } else {
            FieldChange c{std::string(b[j].first), changes(*a[i].second, *b[j].second)};
            if (!c.fields.empty()) changed.push_back(std::move(c));
            ++i, ++j;
        }
    }
}

}  // namespace

FlowDiff Diff(const FlowDraft& a, const FlowDraft& b) {
    FlowDiff d;
    if (a.name != b.name) d.changed_meta.push_back("name");
    if (a.description != b.description) d.changed_meta.push_back("description");
    DiffById(a.nodes, b.nodes, d.added_nodes, d.removed_nodes, d.changed_nodes, [](const Node& o, const Node& n) {
        std::vector<std::string> fields;
        if (o.type != n.type) fields.push_back("type");
        if (o.label != n.label) fields.push_back("label");
        if (o.data != n.data) fields.push_back("data");
        if (o.position != n.position) fields.push_back("position");
        return fields;
    });
    DiffById(a.edges, b.edges, d.added_edges, d.removed_edges, d.changed_edges, [](const Edge& o, const Edge& e) {
        std::vector<std::string> fields;
        if (o.source != e.source) fields.push_back("source");
        if (o.target != e.target) fields.push_back("target");
        if (o.label != e.label) fields.push_back("label");
        if (o.trigger != e.trigger) fields.push_back("trigger");
        if (o.condition != e.condition) fields.push_back("condition");
        return fields;
    });
    return d;
}

}  // namespace uxf::flows
