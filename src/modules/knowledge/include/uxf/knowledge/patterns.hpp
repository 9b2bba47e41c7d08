// The built-in UX pattern library: proven flows (sign-up, checkout, password reset ...) as data in the repository
// (patterns/*.json, compiled into the binary), each with its name, description and labels in English, German,
// Spanish and French. The generation module composes flows from them; users start flows from them.
#pragma once
#include <map>
#include <span>
#include <string>
#include <vector>

namespace uxf::knowledge {

/// Node types and triggers are the flow model's names ("screen", "submit"); the flows module reads them.
struct PatternNode {
    std::string id, type;
};
struct PatternEdge {
    std::string id, source, target, trigger, condition;  ///< trigger and condition may be empty
};
struct PatternText {
    std::string name, description;
    std::map<std::string, std::string> labels;  ///< node and edge id -> label
};

struct Pattern {
    std::string id;
    std::vector<std::string> tags;
    std::map<std::string, PatternText> locales;  ///< "en", "de", "es", "fr"
    std::vector<PatternNode> nodes;
    std::vector<PatternEdge> edges;

    /// The text in `locale`, or in English when the pattern has none in it.
    const PatternText& Text(const std::string& locale) const;
};

/// The patterns compiled into the binary, by id. Parsed once; a malformed file is a bug and throws.
std::span<const Pattern> BuiltInPatterns();
const Pattern* FindPattern(const std::string& id);

/// The locales every pattern speaks.
inline constexpr const char* kPatternLocales[] = {"en", "de", "es", "fr"};

}  // namespace uxf::knowledge
