#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "uxf/core/result.hpp"
#include "uxf/flows/model.hpp"
#include "uxf/flows/settings.hpp"

namespace uxf::flows {

/// The flow document format: the JSON representation docs/api.md shows, which is also the lossless `json` export.
/// Parsing is strict: wrong types, unknown node types or triggers, duplicate ids and edges to missing nodes are
/// field errors (`nodes[2].type`), answered 400; passing a limit is 422 `limit_exceeded`. Read-only fields (id,
/// version, timestamps, authors) are ignored. Missing node and edge ids are generated.
Result<FlowDraft> ParseFlowDocument(std::string_view json, const FlowSettings& limits);

/// One item of a batch: create (a flow document), update (id, optional version, flow document) or delete (id).
struct BatchOp {
    enum class Kind { kCreate, kUpdate, kDelete };
    Kind kind = Kind::kCreate;
    std::string id;
    std::optional<std::int64_t> version;
    FlowDraft draft;
};

struct BatchRequest {
    bool atomic = false;
    std::vector<Result<BatchOp>> items;  ///< an item that does not parse carries its error
};

/// `{operations:[...], atomic?}`; at most `max_items` operations.
Result<BatchRequest> ParseBatchDocument(std::string_view json, const FlowSettings& limits, std::size_t max_items = 100);

std::string FlowToJson(const Flow& flow);
std::string SummaryToJson(const FlowSummary& summary);

}  // namespace uxf::flows
