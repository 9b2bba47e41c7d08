// The flow document format (JSON), strict on input. This module's own file format, also used on the wire.
#include "uxf/flows/flow_json.hpp"

#include <boost/json.hpp>

#include "graph_codec.hpp"
#include "uxf/flows/document_reader.hpp"
#include "uxf/platform/json_text.hpp"

namespace uxf::flows {

Result<FlowDraft> ParseFlowDocument(std::string_view text, const FlowSettings& limits) {
    boost::json::monotonic_resource arena;  // the DOM lives only while it is read
    boost::system::error_code ec;
    boost::json::value doc = json_text::Parse(text, ec, &arena);  // numbers exact: stored data reads back the same
    if (ec) return Error::Make(ErrorCode::kInvalidInput, "invalid_json", "the body is not valid JSON: " + ec.message());
    if (!doc.is_object())
        return Error::Make(ErrorCode::kInvalidInput, "invalid_json", "the body must be a JSON object");
    DocumentReader r(limits);
    FlowDraft draft = r.ReadDraft(doc.get_object(), Path());
    if (auto ok = r.Finish(); !ok.ok()) return ok.error();
    return draft;
}

std::string FlowToJson(const Flow& f) {
    using json_text::AppendString;
    std::string out;
    out.reserve(256 + f.nodes.size() * 96 + f.edges.size() * 96);
    out += "{\"id\":";
    AppendString(out, f.id);
    out += ",\"workspace_id\":";
    AppendString(out, f.workspace_id);
    out += ",\"name\":";
    AppendString(out, f.name);
    out += ",\"description\":";
    AppendString(out, f.description);
    out += ",\"version\":";
    json_text::AppendNumber(out, f.version);
    out += ',';
    AppendGraph(out, f.nodes, f.edges);
    out += ",\"created_at\":";
    AppendString(out, FormatRfc3339(f.created_at));
    out += ",\"updated_at\":";
    AppendString(out, FormatRfc3339(f.updated_at));
    out += ",\"created_by\":";
    AppendString(out, f.created_by);
    out += ",\"updated_by\":";
    AppendString(out, f.updated_by);
    out += '}';
    return out;
}

}  // namespace uxf::flows
