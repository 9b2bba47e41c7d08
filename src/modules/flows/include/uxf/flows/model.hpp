#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "uxf/core/clock.hpp"
#include "uxf/core/result.hpp"
#include "uxf/flows/settings.hpp"

namespace uxf::flows {

enum class NodeType { kStart, kScreen, kDecision, kAction, kEnd, kNote, kSubflow };
enum class Trigger { kClick, kSubmit, kAuto, kBack, kTimeout, kSystem };
/// Where a version came from.
enum class Source { kApi, kAi, kLive, kRestore, kImport };

std::string_view NodeTypeName(NodeType t);
std::optional<NodeType> ParseNodeType(std::string_view name);
std::string_view TriggerName(Trigger t);
std::optional<Trigger> ParseTrigger(std::string_view name);
std::string_view SourceName(Source s);

struct Position {
    double x = 0;
    double y = 0;
    bool operator==(const Position&) const = default;
};

struct Node {
    std::string id;
    NodeType type = NodeType::kScreen;
    std::string label;
    std::string data = "{}";  ///< free-form JSON object, kept as compact JSON text
    std::optional<Position> position;
    bool operator==(const Node&) const = default;
};

struct Edge {
    std::string id;
    std::string source;
    std::string target;
    std::string label;
    std::optional<Trigger> trigger;
    std::optional<std::string> condition;
    bool operator==(const Edge&) const = default;
};

/// The editable content of a flow: metadata and graph.
struct FlowDraft {
    std::string name;
    std::string description;
    std::vector<Node> nodes;
    std::vector<Edge> edges;
};

/// A stored flow at one version.
struct Flow {
    std::string id;
    std::string workspace_id;
    std::string name;
    std::string description;
    std::int64_t version = 0;
    std::vector<Node> nodes;
    std::vector<Edge> edges;
    Micros created_at = 0;
    Micros updated_at = 0;
    std::string created_by;
    std::string updated_by;
};

/// A flow in a list (without its graph).
struct FlowSummary {
    std::string id;
    std::string workspace_id;
    std::string name;
    std::string description;
    std::int64_t version = 0;
    std::int64_t node_count = 0;
    std::int64_t edge_count = 0;
    Micros created_at = 0;
    Micros updated_at = 0;
    std::string created_by;
    std::string updated_by;
};

struct VersionInfo {
    std::int64_t version = 0;
    Micros created_at = 0;
    std::string created_by;
    Source source = Source::kApi;
    std::string summary;
};

/// The model's rules, for every draft however it was made (a parsed document, imports, applied ops, AI output):
/// text fields and positions (input rules), limits, ids present and unique, edges between existing nodes. Field
/// errors answer 400; passing only limits answers 422 `limit_exceeded`.
Result<void> CheckDraft(const FlowDraft& draft, const FlowSettings& limits);

/// Node and edge ids: 1 to 64 characters of letters, digits and `_-.:`.
bool IsValidElementId(std::string_view id);

}  // namespace uxf::flows
