#include "planner/planner.hpp"

#include <algorithm>

#include "llm/model_client.hpp"
#include "planner/refine.hpp"
#include "planner/understand.hpp"
#include "uxf/core/text.hpp"
#include "uxf/flows/flow_json.hpp"
#include "uxf/flows/ops_json.hpp"
#include "uxf/knowledge/patterns.hpp"
#include "uxf/platform/json_text.hpp"

namespace uxf::ai::planner {

std::vector<const knowledge::Pattern*> ScanPatterns(const std::string& text, const std::string& locale, std::size_t k) {
    std::vector<std::pair<double, const knowledge::Pattern*>> scored;
    for (const auto& p : knowledge::BuiltInPatterns()) {
        double s = Relevance(p, text, locale);
        if (s > 0) scored.emplace_back(s, &p);
    }
    std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<const knowledge::Pattern*> out;
    for (std::size_t i = 0; i < scored.size() && i < k; ++i) out.push_back(scored[i].second);
    return out;
}

namespace {

// The prompt as the planner reads it: line breaks, tabs, control characters and bytes that are not UTF-8 become
// spaces (labels are copied from it, and a flow's text may hold none of them).
std::string Clean(std::string_view prompt) {
    std::string out;
    for (std::size_t i = 0; i < prompt.size();) {
        long cp = NextCodePoint(prompt, i);
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF)
            out += ' ';
        else
            AppendUtf8(out, cp);
    }
    return out;
}

}  // namespace

PlannerProvider::PlannerProvider() = default;

ProviderAnswer PlannerProvider::Produce(const GenerationInput& input) {
    std::string locale = input.locale.empty() ? "en" : input.locale;
    // Patterns the pipeline retrieved (by meaning too) come first, then the library's best by words.
    PatternFinder find = [&](const std::string& text) {
        auto found = ScanPatterns(text, locale);
        for (auto it = input.patterns.rbegin(); it != input.patterns.rend(); ++it)
            if (const auto* p = knowledge::FindPattern(it->id);
                p && std::find(found.begin(), found.end(), p) == found.end())
                found.push_back(p);
        return found;
    };
    ProviderAnswer answer;
    answer.model = model_;
    std::string prompt = Clean(input.prompt);
    if (input.task == Task::kCreate) {
        Reading reading = Understand(prompt, locale);
        auto draft = Compose({reading, prompt, locale, find, input.excerpts, input.examples});
        flows::Flow flow;
        flow.name = draft.name;
        flow.description = draft.description;
        flow.nodes = std::move(draft.nodes);
        flow.edges = std::move(draft.edges);
        answer.json = flows::FlowToJson(flow);
        return answer;
    }
    auto current = flows::ParseFlowDocument(input.current_flow_json, flows::FlowSettings{});
    if (!current.ok()) throw ProviderError(ProviderError::Kind::kMalformed, "the current flow could not be read");
    auto refined = Refine(prompt, *current, locale, find);
    if (!refined.ok()) throw ProviderError(ProviderError::Kind::kNotUnderstood, refined.error().message);
    answer.json = "{\"summary\":";
    json_text::AppendString(answer.json, refined->summary);
    answer.json += ",\"ops\":" + flows::OpsToJson(refined->ops) + "}";
    return answer;
}

ProviderAnswer PlannerProvider::Repair(const GenerationInput&, const std::string&,
                                       const std::vector<std::string>& diagnostics) {
    throw ProviderError(ProviderError::Kind::kMalformed, "the planner's flow did not pass the checks: " +
                                                             (diagnostics.empty() ? "" : diagnostics.front()));
}

}  // namespace uxf::ai::planner
