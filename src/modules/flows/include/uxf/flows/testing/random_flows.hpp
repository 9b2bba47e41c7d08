// Random flows with hostile labels and ids, for property tests and the Mermaid parser check (test code only).
#pragma once
#include <random>
#include <string>

#include "uxf/flows/model.hpp"

namespace uxf::flows::testing {

inline FlowDraft RandomFlow(std::mt19937& rng, bool with_positions) {
    static const char* kWords[] = {"Cart", "Pay \"now\"", "E-mail <ok>", "Ünïcode ✓", "50% off",    "a#b",
                                   "x|y",  "[br]",        "end",         "A --> B",   "semi;colon", "{curly}"};
    static const char* kIds[] = {"n_", "n-", "end", "graph", "x.y", "o", "style"};
    constexpr int kWordCount = sizeof(kWords) / sizeof(kWords[0]);
    std::uniform_int_distribution<int> count(2, 25), word(0, kWordCount - 1), type(1, 6), coin(0, 1), id(0, 6);
    FlowDraft d{kWords[word(rng)], "", {}, {}};
    int n = count(rng);
    d.nodes.push_back({"start", NodeType::kStart, "Start"});
    for (int i = 0; i < n; ++i)  // types 1..6: never a second start
        d.nodes.push_back({kIds[id(rng)] + std::to_string(i), static_cast<NodeType>(type(rng)),
                           std::string(kWords[word(rng)]) + " " + std::to_string(i)});
    if (with_positions)
        for (auto& node : d.nodes)
            node.position = Position{static_cast<double>(word(rng) * 40), static_cast<double>(type(rng) * 30)};
    std::uniform_int_distribution<int> pick(0, n);
    int edges = count(rng);
    for (int i = 0; i < edges; ++i)
        d.edges.push_back({"e" + std::to_string(i + 1), d.nodes[pick(rng)].id, d.nodes[pick(rng)].id,
                           coin(rng) ? std::string(kWords[word(rng)]) : ""});
    return d;
}

}  // namespace uxf::flows::testing
