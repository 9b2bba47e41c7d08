// The writes of the flows module as steps inside a caller's transaction, so single requests and batches share
// them. Events are collected for publishing after commit (db::WriteAndPublish).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "uxf/core/context.hpp"
#include "uxf/core/result.hpp"
#include "uxf/flows/model.hpp"
#include "uxf/flows/settings.hpp"
#include "uxf/platform/database.hpp"
#include "uxf/platform/unit_of_work.hpp"
#include "version_cache.hpp"

namespace uxf::flows {

struct WriteContext {
    const FlowSettings& settings;
    const RequestMeta& meta;
    Micros now;
    db::PendingEvents& events;
};

/// Every stored version passes through one of these two steps, which check it with the model's rules (CheckDraft)
/// whoever made it: a document, a batch item, applied ops, an import, a layout or code.
/// Inserts a new flow at version 1 (checks the workspace's flow limit).
Result<Flow> InsertFlow(db::Tx& tx, const std::string& workspace_id, FlowDraft draft, Source source, WriteContext& w);
/// Writes `draft` as the version after `before` (read in this transaction), when the flow is still at
/// `expected_version` (412 `version_conflict` otherwise; none: whatever `before` is).
Result<Flow> ReplaceFlow(db::Tx& tx, const Flow& before, std::optional<std::int64_t> expected_version, FlowDraft draft,
                         Source source, WriteContext& w);
/// Soft-deletes `before` (read in this transaction).
Result<void> DeleteFlow(db::Tx& tx, const Flow& before, WriteContext& w);

/// Reads a live flow inside a transaction; its graph from `graphs` when there, decoded otherwise. Only committed
/// versions go into `graphs` (FlowService::Write, after commit): a version read in a transaction that wrote it
/// could still roll back.
std::optional<Flow> ReadFlow(db::Tx& tx, const std::string& flow_id, VersionCache<Graph>* graphs = nullptr);
/// Reads one stored version of a flow (any version of a live or deleted flow), or nullopt.
std::optional<Flow> ReadVersion(db::Tx& tx, const std::string& flow_id, std::int64_t version);

}  // namespace uxf::flows
