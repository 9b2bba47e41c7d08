// Building a flow graph node by node: readable unique ids made from labels, and each node's `data.sources`.
#pragma once
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "uxf/flows/model.hpp"

namespace uxf::ai::planner {

/// Where a node came from: a pattern (`id`), a document's chunk, or an earlier generation rated up (`example`).
struct SourceRef {
    std::string kind, id, chunk_id;
    bool operator==(const SourceRef&) const = default;
};

/// `{"sources":[...]}` for a node's data ("{}" when there are none).
std::string SourcesData(const std::vector<SourceRef>& sources);
/// The sources a node's data lists (what SourcesData wrote, or an LLM's answer).
std::vector<SourceRef> SourcesOf(std::string_view data);

/// Labels the planner writes hold at most this many characters (the flows' default limit is 200).
inline constexpr std::size_t kMaxLabelChars = 120;
/// `text` cut after `max_chars` characters (with "…"), whole characters only.
std::string Clip(std::string text, std::size_t max_chars);

/// An id from a label: lower-case ASCII letters, digits and `_`, accents dropped ("Prüfen" -> "prufen").
std::string Slug(std::string_view label);

class GraphBuilder {
  public:
    GraphBuilder() = default;
    /// Starts from an existing graph: its ids are taken.
    explicit GraphBuilder(flows::FlowDraft draft);

    std::string AddNode(flows::NodeType type, std::string label, const std::vector<SourceRef>& sources = {},
                        std::string_view id_hint = {});
    std::string AddEdge(const std::string& source, const std::string& target, std::string label = {},
                        std::optional<flows::Trigger> trigger = std::nullopt);
    /// A fresh id with `hint` (for ids the caller makes itself).
    std::string TakeId(std::string_view hint);

    flows::FlowDraft& draft() { return draft_; }
    /// Pointers into the graph: valid until the next node or edge is added (or removed).
    flows::Node* Find(const std::string& id);
    flows::Edge* FindEdge(const std::string& id);
    std::vector<flows::Edge*> Out(const std::string& id);
    std::vector<flows::Edge*> In(const std::string& id);
    void RemoveNode(const std::string& id);  ///< with its edges
    void RemoveEdge(const std::string& id);

  private:
    flows::FlowDraft draft_;
    std::set<std::string> ids_;
};

}  // namespace uxf::ai::planner
