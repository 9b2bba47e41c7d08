#include <gtest/gtest.h>

#include <algorithm>

#include "uxf/flows/analysis.hpp"

namespace uxf::flows {
namespace {

Node N(std::string id, NodeType t) { return {std::move(id), t, ""}; }
Edge E(std::string id, std::string s, std::string t) { return {std::move(id), std::move(s), std::move(t)}; }

// start -> form -> check? -> ok(end) | form (retry)
FlowDraft Good() {
    return {"Sign-up",
            "",
            {N("start", NodeType::kStart), N("form", NodeType::kScreen), N("check", NodeType::kDecision),
             N("ok", NodeType::kEnd), N("tip", NodeType::kNote)},
            {E("e1", "start", "form"), E("e2", "form", "check"), E("e3", "check", "ok"), E("e4", "check", "form")}};
}

std::vector<std::string> Codes(const std::vector<Diagnostic>& d) {
    std::vector<std::string> out;
    for (const auto& x : d) out.push_back(x.code);
    return out;
}

bool Has(const std::vector<Diagnostic>& d, const std::string& code, const std::string& id) {
    return std::any_of(d.begin(), d.end(), [&](const Diagnostic& x) {
        return x.code == code && (id.empty() || std::count(x.node_ids.begin(), x.node_ids.end(), id) ||
                                  std::count(x.edge_ids.begin(), x.edge_ids.end(), id));
    });
}

TEST(Validate, AGoodFlowHasNoDiagnostics) {
    auto d = Validate(Good());
    EXPECT_TRUE(d.empty()) << ::testing::PrintToString(Codes(d));
    EXPECT_TRUE(IsValid(d));
}

TEST(Validate, FindsEachProblem) {
    FlowDraft f = Good();
    f.nodes.push_back(N("start2", NodeType::kStart));
    f.nodes.push_back(N("orphan", NodeType::kScreen));
    f.nodes.push_back(N("stuck", NodeType::kAction));
    f.nodes.push_back(N("form", NodeType::kScreen));  // duplicate id
    f.edges.push_back(E("e5", "form", "stuck"));
    f.edges.push_back(E("e6", "form", "ghost"));
    f.edges.push_back(E("e7", "orphan", "orphan"));
    f.edges.push_back(E("e1", "start2", "form"));  // duplicate edge id
    auto d = Validate(f);
    EXPECT_FALSE(IsValid(d));
    EXPECT_TRUE(Has(d, "multiple_starts", "start2"));
    EXPECT_TRUE(Has(d, "duplicate_id", "form"));
    EXPECT_TRUE(Has(d, "duplicate_id", "e1"));
    EXPECT_TRUE(Has(d, "dangling_edge", "e6"));
    EXPECT_TRUE(Has(d, "self_loop", "e7"));
    EXPECT_TRUE(Has(d, "unreachable_node", "orphan"));
    EXPECT_TRUE(Has(d, "dead_end", "stuck"));
    EXPECT_TRUE(Has(d, "dead_end", "orphan"));        // its only edge is a self loop
    EXPECT_FALSE(Has(d, "unreachable_node", "tip"));  // notes are annotations
}

TEST(Validate, StartDecisionAndEndRules) {
    FlowDraft none{"x", "", {N("a", NodeType::kScreen)}, {}};
    EXPECT_TRUE(Has(Validate(none), "no_start", ""));
    FlowDraft one_branch{"x",
                         "",
                         {N("s", NodeType::kStart), N("d", NodeType::kDecision), N("x", NodeType::kScreen)},
                         {E("1", "s", "d"), E("2", "d", "x"), E("3", "d", "x")}};
    auto d = Validate(one_branch);
    EXPECT_TRUE(Has(d, "decision_needs_branches", "d"));  // two edges, one destination
    EXPECT_TRUE(Has(d, "no_end_reachable", ""));
    for (const auto& x : d)
        if (x.code == "unreachable_node" || x.code == "self_loop") ADD_FAILURE() << x.code;
}

TEST(Analyze, CountsDepthPathsAndBranching) {
    FlowDraft f = Good();
    // a second way to finish: form -> skip -> ok
    f.nodes.push_back(N("skip", NodeType::kAction));
    f.edges.push_back(E("e5", "form", "skip"));
    f.edges.push_back(E("e6", "skip", "ok"));
    auto a = Analyze(f);
    EXPECT_EQ(a.nodes, 6);
    EXPECT_EQ(a.edges, 6);
    EXPECT_EQ(a.screens, 1);
    EXPECT_EQ(a.decisions, 1);
    EXPECT_EQ(a.max_depth, 3);
    EXPECT_EQ(a.paths_start_to_end, 2);  // simple paths only: the retry loop does not multiply them
    EXPECT_FALSE(a.paths_capped);
    EXPECT_TRUE(a.dead_ends.empty());
    EXPECT_TRUE(a.unreachable.empty());
    EXPECT_DOUBLE_EQ(a.avg_branching, 6.0 / 4.0);  // start 1, form 2, check 2, skip 1
}

TEST(Analyze, StopsCountingOnDenseGraphs) {
    // 20 layers of 4 fully connected nodes: 4^20 paths, far past any cap.
    FlowDraft f{"dense", "", {N("s", NodeType::kStart), N("end", NodeType::kEnd)}, {}};
    std::vector<std::string> prev{"s"};
    for (int layer = 0; layer < 20; ++layer) {
        std::vector<std::string> cur;
        for (int k = 0; k < 4; ++k) {
            std::string id = "l" + std::to_string(layer) + "_" + std::to_string(k);
            f.nodes.push_back(N(id, NodeType::kScreen));
            for (const auto& p : prev) f.edges.push_back(E(p + ">" + id, p, id));
            cur.push_back(id);
        }
        prev = cur;
    }
    for (const auto& p : prev) f.edges.push_back(E(p + ">end", p, "end"));
    auto a = Analyze(f, {.path_cap = 1000, .step_budget = 100000});
    EXPECT_TRUE(a.paths_capped);
    EXPECT_EQ(a.paths_start_to_end, 1000);
    EXPECT_EQ(a.max_depth, 21);
}

TEST(Diff, ReportsAddsRemovesAndFieldChanges) {
    FlowDraft a = Good();
    FlowDraft b = a;
    b.name = "Sign-up 2";
    b.nodes[1].label = "Form";
    b.nodes[1].position = Position{1, 2};
    b.nodes.pop_back();  // tip removed
    b.nodes.push_back(N("new", NodeType::kScreen));
    b.edges[2].target = "new";
    b.edges[2].trigger = Trigger::kSubmit;
    b.edges.erase(b.edges.begin() + 3);
    b.edges.push_back(E("e9", "new", "ok"));
    auto d = Diff(a, b);
    EXPECT_EQ(d.added_nodes, std::vector<std::string>{"new"});
    EXPECT_EQ(d.removed_nodes, std::vector<std::string>{"tip"});
    ASSERT_EQ(d.changed_nodes.size(), 1u);
    EXPECT_EQ(d.changed_nodes[0].id, "form");
    EXPECT_EQ(d.changed_nodes[0].fields, (std::vector<std::string>{"label", "position"}));
    EXPECT_EQ(d.added_edges, std::vector<std::string>{"e9"});
    EXPECT_EQ(d.removed_edges, std::vector<std::string>{"e4"});
    ASSERT_EQ(d.changed_edges.size(), 1u);
    EXPECT_EQ(d.changed_edges[0].fields, (std::vector<std::string>{"target", "trigger"}));
    EXPECT_EQ(d.changed_meta, std::vector<std::string>{"name"});
}

}  // namespace
}  // namespace uxf::flows
