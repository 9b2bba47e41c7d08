#include "flow_json.hpp"

#include <cmath>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "../json_io.hpp"
#include "uxf/core/strings.hpp"
#include "uxf/flows/document_reader.hpp"
#include "uxf/flows/ops_json.hpp"
#include "uxf/platform/json_text.hpp"

namespace uxf::gateway {
namespace {

namespace json = boost::json;
using flows::Path;

json::array Strings(const std::vector<std::string>& v) {
    json::array out;
    for (const auto& s : v) out.push_back(json::value(s));
    return out;
}

}  // namespace

Result<flows::OpsRequest> ReadOpsBody(std::string_view body, const flows::FlowSettings& limits) {
    return flows::ParseOpsRequest(body, limits, true);
}

Result<flows::BatchRequest> ReadBatchBody(std::string_view body, const flows::FlowSettings& limits,
                                          std::size_t max_items) {
    using Kind = flows::BatchOp::Kind;
    json::monotonic_resource arena;
    auto doc = ParseObject(body, &arena);
    if (!doc.ok()) return doc.error();
    flows::BatchRequest req;
    if (auto* a = doc->if_contains("atomic"); a && !a->is_null()) {
        if (!a->is_bool()) return Error::Invalid("bad batch", {{"atomic", "must be true or false"}});
        req.atomic = a->get_bool();
    }
    auto* ops = doc->if_contains("operations");
    if (!ops || !ops->is_array() || ops->get_array().empty())
        return Error::Invalid("bad batch", {{"operations", "must be a non-empty array"}});
    const auto& arr = ops->get_array();
    if (arr.size() > max_items) {
        Error e = Error::Make(ErrorCode::kLimitExceeded, "limit_exceeded",
                              fmt::format("a batch holds at most {} operations", max_items));
        e.errors = {{"operations", fmt::format("at most {}", max_items)}};
        return e;
    }
    Path top, list(top, "operations");
    for (std::size_t i = 0; i < arr.size(); ++i) {
        Path at(list, i);
        flows::DocumentReader r(limits);
        flows::BatchOp op;
        if (const auto* item = arr[i].if_object()) {
            auto* kind = item->if_contains("op");
            std::string_view k = kind && kind->is_string() ? std::string_view(kind->get_string()) : "";
            if (k == "create" || k == "update" || k == "delete")
                op.kind = k == "create" ? Kind::kCreate : k == "update" ? Kind::kUpdate : Kind::kDelete;
            else
                r.Add(Path(at, "op"), "must be create, update or delete");
            if (r.empty() && op.kind != Kind::kCreate) {
                auto* id = item->if_contains("id");
                if (!id || !id->is_string() || id->get_string().empty())
                    r.Add(Path(at, "id"), "is required");
                else
                    op.id = id->get_string();
            }
            if (auto* v = item->if_contains("version"); r.empty() && v && !v->is_null()) {
                if (!v->is_int64() || v->get_int64() < 1)
                    r.Add(Path(at, "version"), "must be a positive integer");
                else
                    op.version = v->get_int64();
            }
            if (r.empty() && op.kind != Kind::kDelete) {
                auto* flow = item->if_contains("flow");
                if (!flow || !flow->is_object())
                    r.Add(Path(at, "flow"), "must be a flow document");
                else
                    op.draft = r.ReadDraft(flow->get_object(), Path(at, "flow"));
            }
        } else {
            r.Add(at, "must be an object");
        }
        if (auto ok = r.Finish("the operation is not valid"); !ok.ok())
            req.items.push_back(ok.error());
        else
            req.items.push_back(std::move(op));
    }
    return req;
}

std::string SummaryJson(const flows::FlowSummary& s) {
    return json_text::Write(json::object{{"id", s.id},
                                         {"workspace_id", s.workspace_id},
                                         {"name", s.name},
                                         {"description", s.description},
                                         {"version", s.version},
                                         {"node_count", s.node_count},
                                         {"edge_count", s.edge_count},
                                         {"created_at", FormatRfc3339(s.created_at)},
                                         {"updated_at", FormatRfc3339(s.updated_at)},
                                         {"created_by", s.created_by},
                                         {"updated_by", s.updated_by}});
}

std::string VersionJson(const flows::VersionInfo& v) {
    return json_text::Write(json::object{{"version", v.version},
                                         {"created_at", FormatRfc3339(v.created_at)},
                                         {"created_by", v.created_by},
                                         {"source", flows::SourceName(v.source)},
                                         {"summary", v.summary}});
}

std::string DiagnosticsJson(const std::vector<flows::Diagnostic>& ds) {
    json::array list;
    for (const auto& d : ds)
        list.push_back(json::object{{"severity", d.severity == flows::Severity::kError ? "error" : "warning"},
                                    {"code", d.code},
                                    {"message", d.message},
                                    {"node_ids", Strings(d.node_ids)},
                                    {"edge_ids", Strings(d.edge_ids)}});
    return json_text::Write(json::object{{"valid", flows::IsValid(ds)}, {"diagnostics", std::move(list)}});
}

std::string AnalyticsJson(const flows::Analytics& a) {
    return json_text::Write(json::object{{"nodes", a.nodes},
                                         {"edges", a.edges},
                                         {"screens", a.screens},
                                         {"decisions", a.decisions},
                                         {"max_depth", a.max_depth},
                                         {"paths_start_to_end", a.paths_start_to_end},
                                         {"paths_capped", a.paths_capped},
                                         {"dead_ends", Strings(a.dead_ends)},
                                         {"unreachable", Strings(a.unreachable)},
                                         {"avg_branching", std::round(a.avg_branching * 100) / 100}});
}

std::string DiffJson(const flows::FlowDiff& d) { return flows::DiffToJson(d); }

}  // namespace uxf::gateway
