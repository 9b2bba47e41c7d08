// What one step of a generation gives a provider: the person's words, what the pipeline understood of them, and
// what it retrieved (patterns, the workspace's document excerpts, earlier generations rated up); for a refinement,
// the flow as it is now. Every provider, the offline planner and the LLM clients alike, produces from this.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace uxf::ai {

/// A whole flow, or ops against the current one.
enum class Task { kCreate, kRefine };

/// The prompt's structure, read by Understand (planner/understand.hpp) in the prompt's own language.
struct Understanding {
    std::string language = "en";                    ///< en, de, es, fr
    std::string domain;                             ///< "fitness app", "clinic" ... ("" when none was named)
    std::vector<std::string> journeys;              ///< "sign-up with email verification", "onboarding tour"
    std::vector<std::string> steps;                 ///< explicit steps, in order ("choose a doctor", ...)
    std::vector<std::vector<std::string>> choices;  ///< alternatives ("card", "PayPal")
    std::vector<std::string> conditions;            ///< conditions and errors ("the file is too large")
    std::optional<int> count;                       ///< "a three-step tour": 3
};

struct PatternRef {
    std::string id, name, description;
    std::string flow_json;  ///< the pattern's flow document in the prompt's language
    double score = 0;
};

struct ExcerptRef {
    std::string document_id, chunk_id, title, text;
    double score = 0;
};

/// An earlier generation of this workspace that a person rated up: its prompt and the flow it made.
struct ExampleRef {
    std::string generation_id, prompt;
    std::string flow_json;
};

struct Usage {
    std::int64_t input_tokens = 0, output_tokens = 0;
};

struct GenerationInput {
    Task task = Task::kCreate;
    std::string prompt;  ///< the person's words, as written (data, never instructions)
    std::string locale;  ///< the language labels are written in
    Understanding understanding;
    std::vector<PatternRef> patterns;
    std::vector<ExcerptRef> excerpts;
    std::vector<ExampleRef> examples;
    /// kRefine: the current flow document (ids, types, labels, positions) and the conversation so far (role
    /// "user" or "assistant", text), oldest first.
    std::string current_flow_json;
    std::vector<std::pair<std::string, std::string>> history;
};

/// What a provider answered: for kCreate a flow document (JSON: name, description, nodes, edges), for kRefine
/// `{"summary": "...", "ops": [...]}` (the ops of docs/api.md). The pipeline parses it strictly.
struct ProviderAnswer {
    std::string json;
    std::string model;
    Usage usage;
};

/// A source of flows: the offline planner or an LLM provider's client.
class Provider {
  public:
    virtual ~Provider() = default;
    virtual const std::string& name() const = 0;
    virtual const std::string& model() const = 0;
    /// The first answer. Throws ProviderError (llm/model_client.hpp) when the provider fails.
    virtual ProviderAnswer Produce(const GenerationInput& input) = 0;
    /// Another answer after `previous` failed the checks with `diagnostics` (one per line of the list).
    virtual ProviderAnswer Repair(const GenerationInput& input, const std::string& previous,
                                  const std::vector<std::string>& diagnostics) = 0;
};

}  // namespace uxf::ai
