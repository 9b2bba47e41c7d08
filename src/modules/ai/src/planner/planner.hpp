// The offline planner: a provider that needs no network and no key, deterministic for the same input. It reads the
// prompt in its language (Understand), composes the flow from the pattern library and the prompt's own structure
// (Compose), and refines flows from instructions (Refine).
#pragma once
#include <string>
#include <vector>

#include "generation_input.hpp"
#include "planner/compose.hpp"

namespace uxf::ai::planner {

/// The built-in patterns that fit `text` best (Relevance in `locale` and English), at most `k`, best first.
std::vector<const knowledge::Pattern*> ScanPatterns(const std::string& text, const std::string& locale,
                                                    std::size_t k = 5);

class PlannerProvider final : public Provider {
  public:
    PlannerProvider();
    const std::string& name() const override { return name_; }
    const std::string& model() const override { return model_; }
    /// kCreate: the flow document; kRefine: `{"summary", "ops"}`. Throws ProviderError kNotUnderstood for an
    /// instruction it cannot read.
    ProviderAnswer Produce(const GenerationInput& input) override;
    /// The planner is deterministic: asking again gives the same answer, so a repair is a failure.
    ProviderAnswer Repair(const GenerationInput& input, const std::string& previous,
                          const std::vector<std::string>& diagnostics) override;

  private:
    std::string name_ = "planner", model_ = "planner-1";
};

}  // namespace uxf::ai::planner
