// Settings of AI generation: which providers are configured (base URL, key, model), what a generation costs with
// each, and the pipeline's bounds. `app/` fills them from the UXFLOW_AI_* variables of AiSettingsTable().
#pragma once
#include <cstdint>
#include <span>
#include <string>

#include "uxf/core/settings.hpp"

namespace uxf::ai {

/// One LLM provider's connection. A provider is configured when it has a key (openai-compatible: a base URL).
struct ProviderSettings {
    std::string base_url;      ///< "" = the provider's own API
    std::string api_key;       ///< a secret: never logged, never returned
    std::string model;         ///< "" = the provider's default model
    std::int64_t credits = 5;  ///< what one generation with this provider costs
};

struct AiSettings {
    std::string default_provider;  ///< "" = the first configured LLM provider, else the planner
    ProviderSettings openai{"https://api.openai.com/v1", "", "gpt-4o-mini", 5};
    ProviderSettings anthropic{"https://api.anthropic.com", "", "claude-3-5-haiku-latest", 5};
    ProviderSettings gemini{"https://generativelanguage.googleapis.com/v1beta", "", "gemini-1.5-flash", 5};
    ProviderSettings openai_compatible{"", "", "", 1};
    std::int64_t planner_credits = 1;  ///< what one generation with the offline planner costs
    std::size_t timeout_ms = 60'000;   ///< each try of a provider request
    std::size_t max_attempts = 3;      ///< tries of one provider request (429, 5xx, network)
    std::size_t max_output_tokens = 8192;
    int max_repairs = 2;                     ///< times a provider is asked to mend invalid output
    std::size_t breaker_failures = 5;        ///< consecutive failed requests that open a provider's circuit
    Micros breaker_cooldown = 30 * kSecond;  ///< how long an open circuit refuses before one trial request
    Micros wait_timeout = 30 * kSecond;      ///< longest `?wait=true` before answering 202
    std::size_t max_prompt_chars = 4000;     ///< a prompt or message longer is refused (400)
    std::size_t knowledge_excerpts = 4;      ///< workspace document chunks given to a generation
    bool log_prompts = false;                ///< log prompts and answers (debugging; they may hold personal data)
    std::string secrets_key;  ///< encrypts workspaces' own provider keys at rest (the app passes identity's)
};

std::span<const settings::Entry<AiSettings>> AiSettingsTable();

/// The providers' names, as the API and settings spell them.
inline constexpr const char* kProviderNames[] = {"planner", "openai", "anthropic", "gemini", "openai-compatible"};

}  // namespace uxf::ai
