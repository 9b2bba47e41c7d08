// A Provider backed by an LLM: the prompt builder's request, sent through a ModelClient.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "generation_input.hpp"
#include "llm/model_client.hpp"

namespace uxf::ai {

class LlmProvider final : public Provider {
  public:
    /// `name` as the settings spell the provider ("openai"), `model` the one configured (named in answers when
    /// the provider's answer names none).
    LlmProvider(std::string name, std::string model, std::unique_ptr<ModelClient> client);

    const std::string& name() const override { return name_; }
    const std::string& model() const override { return model_; }
    /// Throws ProviderError.
    ProviderAnswer Produce(const GenerationInput& input) override;
    ProviderAnswer Repair(const GenerationInput& input, const std::string& previous,
                          const std::vector<std::string>& diagnostics) override;

  private:
    ProviderAnswer Answer(const ModelRequest& request);

    std::string name_, model_;
    std::unique_ptr<ModelClient> client_;
};

}  // namespace uxf::ai
