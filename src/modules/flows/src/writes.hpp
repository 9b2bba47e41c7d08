// The writes of the flows module as steps inside a caller's transaction, so single requests and atomic batches
// share them. Events are collected for publishing after commit.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "uxf/core/context.hpp"
#include "uxf/core/result.hpp"
#include "uxf/flows/model.hpp"
#include "uxf/flows/settings.hpp"
#include "uxf/platform/database.hpp"
#include "uxf/platform/events.hpp"

namespace uxf::flows {

struct WriteContext {
    const FlowSettings& settings;
    const RequestMeta& meta;
    Micros now;
    std::vector<events::Event>& events;
};

/// Inserts a new flow at version 1 (checks the workspace's flow limit).
Result<Flow> InsertFlow(db::Tx& tx, const std::string& workspace_id, FlowDraft draft, Source source, WriteContext& w);
/// Writes `draft` as the next version. `expected_version`: 412 when the flow moved on (none: whatever is current).
/// `workspace_id`: the flow must belong to it (404 otherwise).
Result<Flow> ReplaceFlow(db::Tx& tx, const std::string& flow_id, const std::optional<std::string>& workspace_id,
                         std::optional<std::int64_t> expected_version, FlowDraft draft, Source source, WriteContext& w);
Result<void> DeleteFlow(db::Tx& tx, const std::string& flow_id, const std::optional<std::string>& workspace_id,
                        WriteContext& w);

/// Reads a live flow inside a transaction.
std::optional<Flow> ReadFlow(db::Tx& tx, const std::string& flow_id);

}  // namespace uxf::flows
