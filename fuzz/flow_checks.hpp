// Invariants the flow harnesses share: what every accepted flow must survive (exports re-import, JSON re-parses).
// A broken invariant aborts with a message, which libFuzzer reports as a crash with the input.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <string>

#include "uxf/flows/export.hpp"
#include "uxf/flows/flow_json.hpp"
#include "uxf/flows/import.hpp"

namespace uxf::fuzz {

[[noreturn]] inline void Broken(const char* what, const std::string& detail = "") {
    std::fprintf(stderr, "INVARIANT BROKEN: %s %s\n", what, detail.c_str());
    std::abort();
}

inline std::string Errors(const Error& e) {
    std::string out = e.message;
    for (const auto& f : e.errors) out += " | " + f.field + ": " + f.message;
    return out;
}

inline const flows::FlowSettings& Limits() {
    static const flows::FlowSettings limits = [] {
        flows::FlowSettings s;
        s.max_nodes = 200;  // small enough that one input stays fast
        s.max_edges = 400;
        return s;
    }();
    return limits;
}

/// An accepted draft: valid by CheckDraft; its JSON re-parses to the same draft; its Mermaid and draw.io exports
/// import back with the same ids, types, labels and edges.
inline void CheckAcceptedDraft(const flows::FlowDraft& d) {
    using namespace flows;
    if (auto ok = CheckDraft(d, Limits()); !ok.ok()) Broken("accepted draft fails CheckDraft:", Errors(ok.error()));
    Flow f{"flw_1", "wsp_1", d.name, d.description, 1, d.nodes, d.edges, 0, 0, "u", "u"};
    auto again = ParseFlowDocument(FlowToJson(f), Limits());
    if (!again.ok()) Broken("JSON export does not parse:", Errors(again.error()));
    if (again->name != d.name || again->description != d.description || again->nodes != d.nodes ||
        again->edges != d.edges)
        Broken("JSON export parses to another draft");

    // Mermaid and draw.io exports import back with the same graph (Mermaid keeps no edge ids).
    auto round_trip = [&](const char* format, const std::string& text, const Result<FlowDraft>& back,
                          bool edge_ids) {
        std::string what = std::string(format) + " round trip";
        if (!back.ok()) Broken((what + ": the export does not import:").c_str(), Errors(back.error()) + "\n" + text);
        if (back->nodes.size() != d.nodes.size() || back->edges.size() != d.edges.size())
            Broken((what + " imports another graph").c_str(), text);
        for (std::size_t i = 0; i < d.nodes.size(); ++i) {
            const auto &a = d.nodes[i], &b = back->nodes[i];
            std::string label = a.label.empty() ? a.id : a.label;
            if (a.id != b.id || a.type != b.type || label != b.label)
                Broken((what + " changed node").c_str(), a.id + " [" + label + "] -> " + b.id + " [" + b.label + "]");
        }
        for (std::size_t i = 0; i < d.edges.size(); ++i) {
            const auto &a = d.edges[i], &b = back->edges[i];
            if ((edge_ids && a.id != b.id) || a.source != b.source || a.target != b.target || a.label != b.label)
                Broken((what + " changed edge").c_str(), a.id + " [" + a.label + "] -> [" + b.label + "]");
        }
    };
    std::string mermaid = ToMermaid(d), drawio = ToDrawio(d);
    round_trip("Mermaid", mermaid, ParseMermaid(mermaid, Limits()), false);
    round_trip("draw.io", drawio, ParseDrawio(drawio, Limits()), true);
    // The text exports never hold a control character other than the line breaks they write.
    for (const std::string& text : {ToDot(d), ToPlantUml(d), mermaid, drawio})
        for (unsigned char c : text)
            if (c < 0x20 && c != '\n' && c != '\t') Broken("control character in an export");
}

}  // namespace uxf::fuzz
