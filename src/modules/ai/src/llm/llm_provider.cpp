#include "llm/llm_provider.hpp"

#include "llm/prompt.hpp"
#include "llm/schemas.hpp"

namespace uxf::ai {

LlmProvider::LlmProvider(std::string name, std::string model, std::unique_ptr<ModelClient> client)
    : name_(std::move(name)), model_(std::move(model)), client_(std::move(client)) {}

ProviderAnswer LlmProvider::Produce(const GenerationInput& input) { return Answer(BuildRequest(input)); }

ProviderAnswer LlmProvider::Repair(const GenerationInput& input, const std::string& previous,
                                   const std::vector<std::string>& diagnostics) {
    return Answer(BuildRepairRequest(input, previous, diagnostics));
}

ProviderAnswer LlmProvider::Answer(const ModelRequest& request) {
    auto answer = client_->Complete(request);
    ProviderAnswer out;
    // The strict schemas make every member present, null where there is nothing; the flow format leaves those out.
    out.json = DropNulls(answer.text);
    out.model = answer.model.empty() ? model_ : answer.model;
    out.usage = answer.usage;
    return out;
}

}  // namespace uxf::ai
