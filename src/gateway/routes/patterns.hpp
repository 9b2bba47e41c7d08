// The pattern library (knowledge) meets the flow model (flows): a pattern in one locale as a flow draft, and the
// routes that list, show and instantiate patterns.
#pragma once
#include <string>

#include "uxf/core/result.hpp"
#include "uxf/flows/model.hpp"
#include "uxf/knowledge/patterns.hpp"

namespace uxf::gateway {

/// 400 unless `locale` is empty (English) or one the patterns speak.
Result<std::string> PatternLocale(const std::string& locale);
/// The pattern's flow with its labels, name and description in `locale`; `name` replaces the pattern's name.
Result<flows::FlowDraft> DraftFromPattern(const knowledge::Pattern& p, const std::string& locale,
                                          const std::string& name = "");

}  // namespace uxf::gateway
