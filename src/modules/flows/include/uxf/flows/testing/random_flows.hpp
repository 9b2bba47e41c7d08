// Random flows with hostile labels and ids, for property tests and the Mermaid parser check (test code only).
#pragma once
#include <random>
#include <string>
#include <vector>

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

namespace uxf::flows::testing {

/// Pieces of text that try to break out of every export format: quotes and brackets, PlantUML's preprocessor
/// and Creole, Graphviz escapes, XML/SVG markup and script, Mermaid entities and keywords, lone punctuation (a
/// PlantUML title of only `:` or an edge label `[*]` used to fail), unicode.
inline const std::vector<std::string>& HostileFragments() {
    static const std::vector<std::string> kFragments = {"\"",
                                                        "'",
                                                        "[",
                                                        "]",
                                                        "{",
                                                        "}",
                                                        "(",
                                                        ")",
                                                        "|",
                                                        "<",
                                                        ">",
                                                        "&",
                                                        "&amp;",
                                                        "&#60;",
                                                        "&lt;",
                                                        "#quot;",
                                                        "#35;",
                                                        "@enduml",
                                                        "@startuml",
                                                        "!include /etc/passwd",
                                                        "!define X Y",
                                                        "%getenv(\"HOME\")",
                                                        "%date()",
                                                        "$x",
                                                        "<script>alert(1)</script>",
                                                        "</text>",
                                                        "<svg onload=alert(1)>",
                                                        "\" onload=\"alert(1)",
                                                        "]]>",
                                                        "<!--",
                                                        "-->",
                                                        "javascript:alert(1)",
                                                        "[[javascript:alert(1) x]]",
                                                        "<img:/etc/passwd>",
                                                        "<&heart>",
                                                        "<U+0041>",
                                                        "\\",
                                                        "\\\\",
                                                        "\\n",
                                                        "\\N",
                                                        "\\G",
                                                        "\\l",
                                                        "~",
                                                        "**b**",
                                                        "//i//",
                                                        "--s--",
                                                        "__u__",
                                                        "/'",
                                                        "'/",
                                                        "end",
                                                        "graph",
                                                        "subgraph",
                                                        "%%",
                                                        ";",
                                                        ":",
                                                        "*",
                                                        "?",
                                                        "=",
                                                        "-",
                                                        "/",
                                                        ",",
                                                        "+",
                                                        ":::cls",
                                                        "==>",
                                                        "-.->",
                                                        "x --> y",
                                                        "Ünïcode ✓",
                                                        "🙂",
                                                        "中文",
                                                        "עברית",
                                                        " ",
                                                        "\t",
                                                        "\n"};
    return kFragments;
}

/// A label of 1 to 5 fragments, or (one in ten) up to `max_chars` characters of them; `multiline`: may hold \n, \t.
inline std::string HostileText(std::mt19937& rng, bool multiline, std::size_t max_chars = 200) {
    const auto& f = HostileFragments();
    std::uniform_int_distribution<std::size_t> pick(0, f.size() - 1);
    std::uniform_int_distribution<int> parts(1, 5), ten(0, 9);
    bool long_one = ten(rng) == 0;
    std::string out;
    std::size_t chars = 0;
    for (int i = 0, n = long_one ? 1000 : parts(rng); i < n; ++i) {
        std::string piece = f[pick(rng)];
        if (!multiline && (piece == "\n" || piece == "\t")) continue;
        std::size_t piece_chars = 0;
        for (unsigned char c : piece) piece_chars += (c & 0xC0) != 0x80;
        if (chars + piece_chars > max_chars) break;
        out += piece;
        chars += piece_chars;
    }
    return out.find_first_not_of(" \t\n") == std::string::npos ? "x" + out : out;
}

/// A small flow whose name, labels and conditions are all hostile (ids stay valid: they have their own rules).
inline FlowDraft HostileFlow(std::mt19937& rng) {
    std::uniform_int_distribution<int> count(2, 8), type(1, 6), coin(0, 1);
    FlowDraft d{HostileText(rng, false), "", {}, {}};
    int n = count(rng);
    d.nodes.push_back({"start", NodeType::kStart, HostileText(rng, true)});
    for (int i = 0; i < n; ++i)
        d.nodes.push_back({"n" + std::to_string(i), static_cast<NodeType>(type(rng)), HostileText(rng, true)});
    d.nodes.push_back({"end", NodeType::kEnd, HostileText(rng, true)});
    std::uniform_int_distribution<int> pick(0, n + 1);
    for (int i = 0; i < n + 2; ++i) {
        Edge e{"e" + std::to_string(i), d.nodes[pick(rng)].id, d.nodes[pick(rng)].id,
               coin(rng) ? HostileText(rng, true) : ""};
        if (coin(rng)) e.condition = HostileText(rng, true, 60);
        d.edges.push_back(std::move(e));
    }
    return d;
}

}  // namespace uxf::flows::testing
