#include <array>
#include <utility>

#include "uxf/flows/model.hpp"

namespace uxf::flows {
namespace {

template <class E, std::size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
    for (const auto& [e, name] : table)
        if (e == value) return name;
    return table[0].second;
}

template <class E, std::size_t N>
std::optional<E> Parse(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view name) {
    for (const auto& [e, n] : table)
        if (n == name) return e;
    return std::nullopt;
}

constexpr std::array<std::pair<NodeType, std::string_view>, 7> kNodeTypes{{{NodeType::kStart, "start"},
                                                                           {NodeType::kScreen, "screen"},
                                                                           {NodeType::kDecision, "decision"},
                                                                           {NodeType::kAction, "action"},
                                                                           {NodeType::kEnd, "end"},
                                                                           {NodeType::kNote, "note"},
                                                                           {NodeType::kSubflow, "subflow"}}};
constexpr std::array<std::pair<Trigger, std::string_view>, 6> kTriggers{{{Trigger::kClick, "click"},
                                                                         {Trigger::kSubmit, "submit"},
                                                                         {Trigger::kAuto, "auto"},
                                                                         {Trigger::kBack, "back"},
                                                                         {Trigger::kTimeout, "timeout"},
                                                                         {Trigger::kSystem, "system"}}};
constexpr std::array<std::pair<Source, std::string_view>, 5> kSources{{{Source::kApi, "api"},
                                                                       {Source::kAi, "ai"},
                                                                       {Source::kLive, "live"},
                                                                       {Source::kRestore, "restore"},
                                                                       {Source::kImport, "import"}}};

}  // namespace

std::string_view NodeTypeName(NodeType t) { return NameOf(kNodeTypes, t); }
std::optional<NodeType> ParseNodeType(std::string_view name) { return Parse(kNodeTypes, name); }
std::string_view TriggerName(Trigger t) { return NameOf(kTriggers, t); }
std::optional<Trigger> ParseTrigger(std::string_view name) { return Parse(kTriggers, name); }
std::string_view SourceName(Source s) { return NameOf(kSources, s); }

}  // namespace uxf::flows
