#include "uxf/ai/settings.hpp"

namespace uxf::ai {
namespace {

using namespace settings;
using A = AiSettings;
using P = ProviderSettings;

constexpr std::string_view kProviders[] = {"", "planner", "openai", "anthropic", "gemini", "openai-compatible"};

constexpr Entry<A> kTable[] = {
    Choice<&A::default_provider>("UXFLOW_AI_DEFAULT_PROVIDER", kProviders,
                                 "Provider of generations that name none; empty: the first LLM provider with a key "
                                 "(openai, anthropic, gemini, openai-compatible), else the offline `planner`."),
    Text<&A::openai, &P::base_url>("UXFLOW_AI_OPENAI_BASE_URL", "OpenAI API address."),
    Text<&A::openai, &P::api_key>("UXFLOW_AI_OPENAI_API_KEY",
                                  "OpenAI API key (a secret); `openai` is offered with it."),
    Text<&A::openai, &P::model>("UXFLOW_AI_OPENAI_MODEL", "OpenAI model (Chat Completions with structured outputs)."),
    Integer<&A::openai, &P::credits>("UXFLOW_AI_OPENAI_CREDITS", 0, 1'000'000,
                                     "Credits one `openai` generation costs."),
    Text<&A::anthropic, &P::base_url>("UXFLOW_AI_ANTHROPIC_BASE_URL", "Anthropic API address."),
    Text<&A::anthropic, &P::api_key>("UXFLOW_AI_ANTHROPIC_API_KEY",
                                     "Anthropic API key (a secret); `anthropic` is offered with it."),
    Text<&A::anthropic, &P::model>("UXFLOW_AI_ANTHROPIC_MODEL", "Anthropic model (Messages API with tool use)."),
    Integer<&A::anthropic, &P::credits>("UXFLOW_AI_ANTHROPIC_CREDITS", 0, 1'000'000,
                                        "Credits one `anthropic` generation costs."),
    Text<&A::gemini, &P::base_url>("UXFLOW_AI_GEMINI_BASE_URL", "Gemini API address."),
    Text<&A::gemini, &P::api_key>("UXFLOW_AI_GEMINI_API_KEY",
                                  "Gemini API key (a secret); `gemini` is offered with it."),
    Text<&A::gemini, &P::model>("UXFLOW_AI_GEMINI_MODEL", "Gemini model (`generateContent` with a response schema)."),
    Integer<&A::gemini, &P::credits>("UXFLOW_AI_GEMINI_CREDITS", 0, 1'000'000,
                                     "Credits one `gemini` generation costs."),
    Text<&A::openai_compatible, &P::base_url>(
        "UXFLOW_AI_OPENAI_COMPATIBLE_BASE_URL",
        "Address of a server speaking OpenAI's chat API (Ollama `http://127.0.0.1:11434/v1`, llama.cpp server, vLLM); "
        "`openai-compatible` is offered with it."),
    Text<&A::openai_compatible, &P::api_key>("UXFLOW_AI_OPENAI_COMPATIBLE_API_KEY",
                                             "Key of the OpenAI-compatible server, if it wants one (a secret)."),
    Text<&A::openai_compatible, &P::model>("UXFLOW_AI_OPENAI_COMPATIBLE_MODEL",
                                           "Model of the OpenAI-compatible server (e.g. `llama3.1`)."),
    Integer<&A::openai_compatible, &P::credits>("UXFLOW_AI_OPENAI_COMPATIBLE_CREDITS", 0, 1'000'000,
                                                "Credits one `openai-compatible` generation costs."),
    Integer<&A::planner_credits>("UXFLOW_AI_PLANNER_CREDITS", 0, 1'000'000,
                                 "Credits one generation with the offline `planner` costs."),
    Integer<&A::timeout_ms>("UXFLOW_AI_TIMEOUT_MS", 1000, 600'000, "Each try of a request to an LLM provider."),
    Integer<&A::max_attempts>("UXFLOW_AI_MAX_ATTEMPTS", 1, 10,
                              "Tries of one provider request after 429, 5xx or a network failure (backoff with "
                              "jitter)."),
    Integer<&A::max_output_tokens>("UXFLOW_AI_MAX_OUTPUT_TOKENS", 256, 200'000,
                                   "Most tokens a provider may write for one answer."),
    Integer<&A::max_repairs>("UXFLOW_AI_MAX_REPAIRS", 0, 5,
                             "Times a provider is asked to mend output that is not a valid flow before the "
                             "generation fails."),
    Integer<&A::breaker_failures>("UXFLOW_AI_BREAKER_FAILURES", 1, 1000,
                                  "Consecutive failed requests after which a provider's circuit opens."),
    Seconds<&A::breaker_cooldown>("UXFLOW_AI_BREAKER_COOLDOWN_S", 1, 3600,
                                  "How long an open circuit refuses requests before it lets one through."),
    Seconds<&A::wait_timeout>("UXFLOW_AI_WAIT_TIMEOUT_S", 1, 300,
                              "Longest wait of `?wait=true` before the answer is 202 with the generation running."),
    Integer<&A::max_prompt_chars>("UXFLOW_AI_MAX_PROMPT_CHARS", 10, 100'000,
                                  "Longest prompt or chat message (400 beyond)."),
    Integer<&A::knowledge_excerpts>("UXFLOW_AI_KNOWLEDGE_EXCERPTS", 0, 50,
                                    "Excerpts of the workspace's documents given to a generation."),
    Bool<&A::log_prompts>("UXFLOW_AI_LOG_PROMPTS",
                          "Log prompts and providers' answers (debugging only: they may hold personal data)."),
};

}  // namespace

std::span<const Entry<AiSettings>> AiSettingsTable() { return kTable; }

}  // namespace uxf::ai
