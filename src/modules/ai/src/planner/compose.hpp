// Composing a new flow from what Understand read: from the pattern library when the prompt names a known journey
// (several journeys chained), from the prompt's own steps when it spells them out, with its alternatives,
// conditions and counts put in; every node says where it came from (data.sources).
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "generation_input.hpp"
#include "planner/understand.hpp"
#include "uxf/flows/model.hpp"

namespace uxf::knowledge {
struct Pattern;
}

namespace uxf::ai::planner {

/// Patterns that may match a journey's words, best first (the knowledge module's pattern search).
using PatternFinder = std::function<std::vector<const knowledge::Pattern*>(const std::string& text)>;

struct ComposeInput {
    const Reading& reading;
    std::string prompt;
    std::string locale;  ///< the labels' language
    PatternFinder find;
    const std::vector<ExcerptRef>& excerpts;
    const std::vector<ExampleRef>& examples;
};

flows::FlowDraft Compose(const ComposeInput& in);

/// How well `pattern` fits a journey's words (0 to 1) in `locale` and English.
double Relevance(const knowledge::Pattern& pattern, const std::string& journey, const std::string& locale);

}  // namespace uxf::ai::planner
