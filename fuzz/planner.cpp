// (h) The offline planner: any text as a prompt (in each of the four languages) and as a refinement instruction
// against a small flow. It answers a valid flow, valid ops, or "not understood"; never an exception or a crash.
#include <exception>

#include "flow_checks.hpp"
#include "llm/model_client.hpp"
#include "planner/planner.hpp"
#include "uxf/flows/analysis.hpp"
#include "uxf/flows/ops.hpp"
#include "uxf/flows/ops_json.hpp"

namespace {

constexpr const char* kBase =
    R"({"name":"Login","nodes":[{"id":"start","type":"start","label":"Open app"},{"id":"login","type":"screen","label":"Login screen"},)"
    R"({"id":"ok","type":"decision","label":"Credentials valid?"},{"id":"home","type":"end","label":"Home"}],"edges":[)"
    R"({"id":"e1","source":"start","target":"login"},{"id":"e2","source":"login","target":"ok"},)"
    R"({"id":"e3","source":"ok","target":"home","label":"Yes"},{"id":"e4","source":"ok","target":"login","label":"No"}]})";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace uxf;
    if (size > 400) return 0;  // longer prompts only repeat the shapes short ones have
    std::string text(reinterpret_cast<const char*>(data), size);
    static const char* const kLocales[] = {"en", "de", "es", "fr"};
    ai::planner::PlannerProvider planner;
    auto base = flows::ParseFlowDocument(kBase, fuzz::Limits());
    if (!base.ok()) fuzz::Broken("the base flow does not parse");
    for (const char* locale : kLocales) {
        ai::GenerationInput in;
        in.prompt = text;
        in.locale = locale;
        try {
            auto made = flows::ParseFlowDocument(planner.Produce(in).json, flows::FlowSettings{});
            if (!made.ok()) fuzz::Broken("the planner's flow does not parse", fuzz::Errors(made.error()));
            for (const auto& d : flows::Validate(*made))
                if (d.severity == flows::Severity::kError) fuzz::Broken("the planner's flow is not valid", d.message);
            in.task = ai::Task::kRefine;
            in.current_flow_json = kBase;
            auto answer = planner.Produce(in);
            auto ops = flows::ParseOpsRequest(answer.json, flows::FlowSettings{}, false);
            if (!ops.ok()) fuzz::Broken("the planner's ops do not parse", fuzz::Errors(ops.error()));
            auto applied = flows::ApplyOps(*base, ops->ops, flows::FlowSettings{});
            if (!applied.ok()) fuzz::Broken("the planner's ops do not apply", fuzz::Errors(applied.error()));
        } catch (const ai::ProviderError& e) {
            if (e.kind() != ai::ProviderError::Kind::kNotUnderstood) fuzz::Broken("unexpected provider error", e.what());
        } catch (const std::exception& e) {
            fuzz::Broken("the planner threw", e.what());
        }
    }
    return 0;
}
