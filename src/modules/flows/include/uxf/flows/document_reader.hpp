// Reads the parts of a flow document (this module's file format, JSON) into the model, collecting field errors.
// Requests that embed those parts (a node in an `add_node` op, a flow in a batch item) are read by the gateway
// with this same reader, so a node means the same, and is refused for the same reasons, wherever it is written.
// Boost.JSON types are only declared here: callers that read JSON include it themselves.
#pragma once
#include <optional>
#include <string>

#include "uxf/flows/field_errors.hpp"
#include "uxf/flows/model.hpp"

namespace boost::json {
class value;
class object;
}  // namespace boost::json

namespace uxf::flows {

class DocumentReader : public FieldErrors {
  public:
    explicit DocumentReader(const FlowSettings& limits) : FieldErrors(limits) {}

    /// A flow document at `at`: name, description, nodes and edges, with the model's rules (field rules, limits,
    /// unique ids, edges between nodes). Missing node and edge ids are generated. Other keys are ignored.
    FlowDraft ReadDraft(const boost::json::object& o, const Path& at);
    std::optional<Node> ReadNode(const boost::json::value& v, const Path& at);
    std::optional<Edge> ReadEdge(const boost::json::value& v, const Path& at);

    /// The string `key` of `o`, checked with the text rules (TextKind). nullopt when absent or null (an error
    /// when `required`) or when it is not an acceptable string (an error).
    std::optional<std::string> Str(const boost::json::object& o, std::string_view key, const Path& at, bool required,
                                   std::size_t max_chars, TextKind kind = TextKind::kLine);
    /// The fields that whole nodes and edges and patches to them share; nullopt when absent, null or wrong.
    std::optional<NodeType> TypeOf(const boost::json::object& o, const Path& at, bool required);
    std::optional<Trigger> TriggerOf(const boost::json::object& o, const Path& at);
    /// `data`: an object with finite numbers, as compact JSON text.
    std::optional<std::string> DataOf(const boost::json::object& o, const Path& at);
    std::optional<Position> PositionOf(const boost::json::object& o, const Path& at);
    /// The `id` of a node or edge (letters, digits and _-.:, at most 64 characters).
    std::optional<std::string> IdOf(const boost::json::object& o, const Path& at, bool required);
};

}  // namespace uxf::flows
