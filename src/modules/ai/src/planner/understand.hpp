// Reading a prompt: the journey it names, its domain, and its explicit structure (steps in order, alternatives,
// conditions and errors, counts), in its own language.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "generation_input.hpp"

namespace uxf::ai::planner {

struct Element {
    enum class Kind { kStep, kChoice, kCondition, kCount };
    Kind kind = Kind::kStep;
    std::string text;                  ///< a step's words; a choice's shared part ("pay by"); a condition
    std::vector<std::string> options;  ///< a choice's alternatives ("card", "PayPal")
    std::string consequence;           ///< a condition's "show an error" part, as written
    bool system = false;               ///< a step the system does (an action node)
    bool retry = false;                ///< a condition after which the person may try again
    int count = 0;                     ///< kCount: how many
    std::string noun;                  ///< kCount: of what ("step", "question")
};

struct Reading {
    std::string language;
    std::string head;                   ///< the journey part ("appointment booking for a dental clinic")
    std::string domain;                 ///< "dental clinic"
    std::vector<std::string> journeys;  ///< the head split into journeys ("sign-up", "onboarding tour")
    std::vector<Element> elements;      ///< the explicit structure, in order
    /// How many steps, choices and conditions the prompt spelt out.
    std::size_t Explicit() const;
};

/// Reads `prompt` in `language` (en, de, es, fr).
Reading Understand(std::string_view prompt, std::string_view language);
/// What the pipeline reports and LLM providers are told.
Understanding Summarize(const Reading& r);

}  // namespace uxf::ai::planner
