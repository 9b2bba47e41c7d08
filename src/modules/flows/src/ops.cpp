#include "uxf/flows/ops.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "uxf/core/strings.hpp"
#include "uxf/flows/flow_json.hpp"

namespace uxf::flows {
namespace {

std::string FreshId(const std::set<std::string>& taken, const char* prefix) {
    for (;;) {
        std::string id = prefix + ToLower(Base32Encode(RandomBytes(5)));
        if (!taken.contains(id)) return id;
    }
}

Error OpError(std::size_t i, const std::string& message) {
    return Error::Invalid("op " + std::to_string(i) + " cannot be applied", {{fmt::format("ops[{}]", i), message}});
}

}  // namespace

Result<FlowDraft> ApplyOps(FlowDraft d, const std::vector<Op>& ops, const FlowSettings& limits) {
    std::set<std::string> node_ids, edge_ids;
    for (const auto& n : d.nodes) node_ids.insert(n.id);
    for (const auto& e : d.edges) edge_ids.insert(e.id);
    auto find_node = [&](const std::string& id) {
        return std::find_if(d.nodes.begin(), d.nodes.end(), [&](const Node& n) { return n.id == id; });
    };
    auto find_edge = [&](const std::string& id) {
        return std::find_if(d.edges.begin(), d.edges.end(), [&](const Edge& e) { return e.id == id; });
    };
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const Op& op = ops[i];
        switch (op.kind) {
            case Op::Kind::kAddNode: {
                Node n = op.node;
                if (n.id.empty()) n.id = FreshId(node_ids, "n_");
                if (!node_ids.insert(n.id).second) return OpError(i, "a node with id \"" + n.id + "\" exists");
                d.nodes.push_back(std::move(n));
                break;
            }
            case Op::Kind::kUpdateNode: {
                auto it = find_node(op.id);
                if (it == d.nodes.end()) return OpError(i, "no node has id \"" + op.id + "\"");
                const NodePatch& p = op.node_set;
                if (p.type) it->type = *p.type;
                if (p.label) it->label = *p.label;
                if (p.data) it->data = *p.data;
                if (p.position) it->position = *p.position;
                break;
            }
            case Op::Kind::kRemoveNode: {
                auto it = find_node(op.id);
                if (it == d.nodes.end()) return OpError(i, "no node has id \"" + op.id + "\"");
                d.nodes.erase(it);
                node_ids.erase(op.id);
                std::erase_if(d.edges, [&](const Edge& e) {
                    bool gone = e.source == op.id || e.target == op.id;
                    if (gone) edge_ids.erase(e.id);
                    return gone;
                });
                break;
            }
            case Op::Kind::kAddEdge: {
                Edge e = op.edge;
                if (e.id.empty()) e.id = FreshId(edge_ids, "e_");
                if (!edge_ids.insert(e.id).second) return OpError(i, "an edge with id \"" + e.id + "\" exists");
                d.edges.push_back(std::move(e));
                break;
            }
            case Op::Kind::kUpdateEdge: {
                auto it = find_edge(op.id);
                if (it == d.edges.end()) return OpError(i, "no edge has id \"" + op.id + "\"");
                const EdgePatch& p = op.edge_set;
                if (p.source) it->source = *p.source;
                if (p.target) it->target = *p.target;
                if (p.label) it->label = *p.label;
                if (p.trigger) it->trigger = *p.trigger;
                if (p.condition) it->condition = *p.condition;
                break;
            }
            case Op::Kind::kRemoveEdge: {
                auto it = find_edge(op.id);
                if (it == d.edges.end()) return OpError(i, "no edge has id \"" + op.id + "\"");
                d.edges.erase(it);
                edge_ids.erase(op.id);
                break;
            }
            case Op::Kind::kSetMeta:
                if (op.name) d.name = *op.name;
                if (op.description) d.description = *op.description;
                break;
        }
    }
    if (auto ok = CheckDraft(d, limits); !ok.ok()) return ok.error();
    return d;
}

std::vector<std::string> TouchedBy(const std::vector<Op>& ops, const FlowDraft& current) {
    std::set<std::string> out;
    for (const auto& op : ops) {
        switch (op.kind) {
            case Op::Kind::kAddNode:
                out.insert("node:" + op.node.id);
                break;
            case Op::Kind::kUpdateNode:
                out.insert("node:" + op.id);
                break;
            case Op::Kind::kRemoveNode:
                out.insert("node:" + op.id);
                for (const auto& e : current.edges)
                    if (e.source == op.id || e.target == op.id) out.insert("edge:" + e.id);
                break;
            case Op::Kind::kAddEdge:
                out.insert("edge:" + op.edge.id);
                out.insert("node:" + op.edge.source);  // the edge needs both ends as they were
                out.insert("node:" + op.edge.target);
                break;
            case Op::Kind::kUpdateEdge:
                out.insert("edge:" + op.id);
                if (op.edge_set.source) out.insert("node:" + *op.edge_set.source);
                if (op.edge_set.target) out.insert("node:" + *op.edge_set.target);
                break;
            case Op::Kind::kRemoveEdge:
                out.insert("edge:" + op.id);
                break;
            case Op::Kind::kSetMeta:
                if (op.name) out.insert("meta:name");
                if (op.description) out.insert("meta:description");
                break;
        }
    }
    out.erase("node:");
    out.erase("edge:");
    return {out.begin(), out.end()};
}

std::vector<std::string> ChangedIn(const FlowDiff& diff) {
    std::set<std::string> out;
    for (const auto& id : diff.added_nodes) out.insert("node:" + id);
    for (const auto& id : diff.removed_nodes) out.insert("node:" + id);
    for (const auto& c : diff.changed_nodes) out.insert("node:" + c.id);
    for (const auto& id : diff.added_edges) out.insert("edge:" + id);
    for (const auto& id : diff.removed_edges) out.insert("edge:" + id);
    for (const auto& c : diff.changed_edges) out.insert("edge:" + c.id);
    for (const auto& m : diff.changed_meta) out.insert("meta:" + m);
    return {out.begin(), out.end()};
}

}  // namespace uxf::flows
