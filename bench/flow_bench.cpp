// Cold costs of flow operations on a 200-node flow, without HTTP or caches: codec, ops, validation, analytics,
// and each export rendered from scratch. bench/flows.sh measures the same through the server.
#include <benchmark/benchmark.h>

#include <random>

#include "uxf/flows/analysis.hpp"
#include "uxf/flows/export.hpp"
#include "uxf/flows/flow_json.hpp"
#include "uxf/flows/ops.hpp"
#include "uxf/platform/graphviz.hpp"

namespace {

using namespace uxf::flows;

// The same shape as bench/flows.sh: a 190-step chain with decisions branching to 9 ends and forward jumps.
Flow Flow200() {
    Flow f{"flw_bench", "wsp_bench", "Benchmark flow", "", 1, {}, {}, 0, 0, "", ""};
    f.nodes.push_back({"start", NodeType::kStart, "Open app"});
    const NodeType kinds[] = {NodeType::kScreen, NodeType::kScreen, NodeType::kAction, NodeType::kDecision};
    for (int i = 1; i <= 190; ++i)
        f.nodes.push_back({"n" + std::to_string(i), kinds[i % 4], "Step " + std::to_string(i), "{\"i\":1}"});
    for (int i = 0; i < 9; ++i) f.nodes.push_back({"end" + std::to_string(i), NodeType::kEnd, "Done"});
    f.edges.push_back({"e0", "start", "n1"});
    for (int i = 1; i < 190; ++i)
        f.edges.push_back(
            {"c" + std::to_string(i), "n" + std::to_string(i), "n" + std::to_string(i + 1), "next", Trigger::kClick});
    for (int i = 4; i <= 190; i += 4)
        f.edges.push_back({"b" + std::to_string(i), "n" + std::to_string(i), "end" + std::to_string(i % 9), "done",
                           std::nullopt, std::string("ok")});
    std::mt19937 rng(7);
    for (int i = 3; i < 190; i += 7)
        f.edges.push_back({"x" + std::to_string(i), "n" + std::to_string(i),
                           "n" + std::to_string(std::min(i + 2 + static_cast<int>(rng() % 8), 190))});
    f.edges.push_back({"last", "n190", "end0"});
    return f;
}

FlowDraft Draft(const Flow& f) { return {f.name, f.description, f.nodes, f.edges}; }

void BM_ParseFlowDocument(benchmark::State& state) {
    std::string json = FlowToJson(Flow200());
    for (auto _ : state) benchmark::DoNotOptimize(ParseFlowDocument(json, {}));
}
BENCHMARK(BM_ParseFlowDocument)->Unit(benchmark::kMicrosecond);

void BM_ApplyOneOp(benchmark::State& state) {
    FlowDraft d = Draft(Flow200());
    Op op{Op::Kind::kUpdateNode, "n42"};
    op.node_set.label = "Renamed";
    for (auto _ : state) benchmark::DoNotOptimize(ApplyOps(d, {op}, {}));
}
BENCHMARK(BM_ApplyOneOp)->Unit(benchmark::kMicrosecond);

void BM_Validate(benchmark::State& state) {
    FlowDraft d = Draft(Flow200());
    for (auto _ : state) benchmark::DoNotOptimize(Validate(d));
}
BENCHMARK(BM_Validate)->Unit(benchmark::kMicrosecond);

void BM_Analyze(benchmark::State& state) {
    FlowDraft d = Draft(Flow200());
    for (auto _ : state) benchmark::DoNotOptimize(Analyze(d));
}
BENCHMARK(BM_Analyze)->Unit(benchmark::kMicrosecond);

void BM_Export(benchmark::State& state, const char* format) {
    uxf::render::Graphviz gv;
    Flow f = Flow200();
    for (auto _ : state) benchmark::DoNotOptimize(ExportFlow(f, format, gv));
}
BENCHMARK_CAPTURE(BM_Export, json, "json")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Export, mermaid, "mermaid")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Export, dot, "dot")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Export, plantuml, "plantuml")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Export, drawio, "drawio")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Export, svg, "svg")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Export, png, "png")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Export, pdf, "pdf")->Unit(benchmark::kMillisecond);

}  // namespace
