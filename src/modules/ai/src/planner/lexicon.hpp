// The planner's words per language (en, de, es, fr): what marks a sequence, an alternative, a condition, a count,
// who does a step, and the labels it writes itself. Prompts are read in their own language with these; nothing is
// translated into another language first.
#pragma once
#include <string_view>
#include <vector>

namespace uxf::ai::planner {

struct Labels {
    std::string_view start, end, yes, no, error, try_again, skip, next, back, choose, step_of, optional;
    /// A journey the library lacks: `{x}` is the journey ("Renew a passport").
    std::string_view details, review, confirm, failed;
};

struct Lexicon {
    std::string_view language;
    std::vector<std::string_view> sequence;      ///< "then", "after that", "finally" (split steps)
    std::vector<std::string_view> conjunction;   ///< "and"
    std::vector<std::string_view> alternative;   ///< "or"
    std::vector<std::string_view> condition;     ///< "if", "when", "in case"
    std::vector<std::string_view> relative;      ///< "where", "in which", "that lets": a journey's name ends there
    std::vector<std::string_view> domain;        ///< "for": "... for a fitness app"
    std::vector<std::string_view> articles;      ///< stripped before a domain or a node reference
    std::vector<std::string_view> subjects;      ///< "the user", "they", "customers can": stripped before a step
    std::vector<std::string_view> stop;          ///< words too common to match on
    std::vector<std::string_view> numbers;       ///< "zero", "one", ... "ten" (index = value)
    std::vector<std::string_view> step_nouns;    ///< "step", "screen", "question": what a count counts
    std::vector<std::string_view> system_verbs;  ///< steps the system does (action nodes): "send", "charge"
    std::vector<std::string_view> consequence;   ///< what an error's clause says to do: "show an error", "retry"
    std::vector<std::string_view> retry;         ///< words saying a person may try again
    std::vector<std::string_view> journey_join;  ///< "and then", "followed by": several journeys in one prompt
    // Refinements
    std::vector<std::string_view> add, remove, rename, rename_to, optional, after, before, from, error_path;
    std::vector<std::string_view> node_words;  ///< "screen", "step", "page": dropped from a node reference
    Labels labels;
};

/// The lexicon of `language` (en, de, es, fr); English for any other.
const Lexicon& LexiconFor(std::string_view language);
/// Which of the four languages `text` is written in, by its function words; "" when it cannot tell.
std::string_view GuessLanguage(std::string_view text);

}  // namespace uxf::ai::planner
