#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "uxf/core/context.hpp"
#include "uxf/core/result.hpp"
#include "uxf/flows/analysis.hpp"
#include "uxf/flows/export.hpp"
#include "uxf/flows/flow_json.hpp"
#include "uxf/flows/model.hpp"
#include "uxf/flows/ops.hpp"
#include "uxf/flows/settings.hpp"
#include "uxf/identity/types.hpp"
#include "uxf/platform/unit_of_work.hpp"

namespace uxf::db {
class Database;
class Tx;
}  // namespace uxf::db
namespace uxf::events {
class EventBus;
struct Event;
}  // namespace uxf::events
namespace uxf::identity {
class WorkspaceService;
}

namespace uxf::flows {

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
    std::vector<Result<BatchOp>> items;  ///< an item that could not be read carries its error
};

template <class T>
class VersionCache;
struct Graph;
struct WriteContext;

/// Flows: stored with every change as an immutable version, optimistic concurrency on a version number.
/// Viewers read; editors write; admins restore deleted flows. Flows of a workspace the caller is not a member
/// of answer `not_found`.
class FlowService {
  public:
    FlowService(db::Database& db, events::EventBus& bus, const Clock& clock,
                const identity::WorkspaceService& workspaces, render::Graphviz& graphviz, FlowSettings settings);

    Result<Flow> Create(const std::string& workspace_id, FlowDraft draft, Source source, const RequestMeta& meta);
    Result<Flow> Get(const std::string& flow_id, const RequestMeta& meta) const;

    /// A flow version's API document (FlowToJson) for reads: one query authorizes the caller and finds the version,
    /// and the bytes come from a bounded cache of immutable versions (encoded on a miss). `version` none: the current
    /// one. When `not_modified(version)` holds for the version found (the client's If-None-Match), `file` is null.
    struct Document {
        std::int64_t version = 0;
        std::shared_ptr<const ExportFile> file;
    };
    Result<Document> GetDocument(const std::string& flow_id, std::optional<std::int64_t> version,
                                 const std::function<bool(std::int64_t)>& not_modified, const RequestMeta& meta) const;
    /// The API document of a flow that a write of this service returned (committed), cached for later reads.
    std::shared_ptr<const ExportFile> DocumentOf(const Flow& flow) const;
    /// The flow as it was at `version`.
    Result<Flow> GetVersion(const std::string& flow_id, std::int64_t version, const RequestMeta& meta) const;
    /// Flows of a workspace, newest first; `query` matches names (case-insensitive substring).
    Result<identity::Page<FlowSummary>> List(const std::string& workspace_id, const std::string& query, int limit,
                                             const std::string& cursor, const RequestMeta& meta) const;
    /// Replaces name, description and graph when the stored version is still `expected_version`
    /// (412 `version_conflict` otherwise; none: whatever version is current, as for `If-Match: *`).
    Result<Flow> Replace(const std::string& flow_id, std::optional<std::int64_t> expected_version, FlowDraft draft,
                         Source source, const RequestMeta& meta);
    /// Applies ops made against `base_version`, all or none, as a new version. When the flow moved on since, the
    /// ops are rebased if they touch nothing that changed; otherwise 409 `ops_conflict` names what did.
    Result<Flow> Apply(const std::string& flow_id, const OpsRequest& request, Source source, const RequestMeta& meta);
    /// Soft delete: the flow disappears from reads and lists; admins can restore it.
    Result<void> Delete(const std::string& flow_id, const RequestMeta& meta);
    Result<Flow> Undelete(const std::string& flow_id, const RequestMeta& meta);
    Result<identity::Page<VersionInfo>> Versions(const std::string& flow_id, int limit, const std::string& cursor,
                                                 const RequestMeta& meta) const;
    /// Makes a new version equal to `version`.
    Result<Flow> RestoreVersion(const std::string& flow_id, std::int64_t version, const RequestMeta& meta);

    /// Diagnostics of the current version.
    Result<std::vector<Diagnostic>> ValidateFlow(const std::string& flow_id, const RequestMeta& meta) const;
    Result<Analytics> AnalyzeFlow(const std::string& flow_id, const RequestMeta& meta) const;
    /// Changes from version `from` to version `to`.
    Result<FlowDiff> DiffVersions(const std::string& flow_id, std::int64_t from, std::int64_t to,
                                  const RequestMeta& meta) const;

    /// The outcome of one batch item: the flow it made or changed, or its error.
    struct BatchResult {
        std::size_t index = 0;
        BatchOp::Kind kind = BatchOp::Kind::kCreate;
        std::string flow_id;
        std::int64_t version = 0;
        std::optional<Error> error;
    };
    /// Creates, updates and deletes flows of one workspace. Each item on its own, or with `atomic` all in one
    /// transaction: then one failure rolls everything back, and the other items answer `batch_aborted`.
    Result<std::vector<BatchResult>> Batch(const std::string& workspace_id, BatchRequest request,
                                           const RequestMeta& meta);
    /// Creates a flow from a file: `json` (the flow document), `mermaid` or `drawio`. `name` overrides the file's.
    Result<Flow> Import(const std::string& workspace_id, std::string_view format, std::string_view content,
                        const std::string& name, const RequestMeta& meta);
    /// A new version where nodes without positions get them from Graphviz (`direction` LR or TB).
    Result<Flow> Layout(const std::string& flow_id, std::string_view direction, const RequestMeta& meta);
    /// The current version in `format` (see ExportFlow).
    Result<ExportFile> Export(const std::string& flow_id, std::string_view format, const RequestMeta& meta) const;

    // Inside a caller's transaction (an AI generation saves its flow in the transaction that captures its
    // credits): the caller's role is checked in `tx`, and the events go to `events`, for the caller to publish once
    // it committed (db::WriteAndPublish).
    Result<Flow> CreateIn(db::Tx& tx, db::PendingEvents& events, const std::string& workspace_id, FlowDraft draft,
                          Source source, const RequestMeta& meta);
    /// Apply's step: on PostgreSQL a concurrent writer can make it answer 412 `version_conflict`; retry the
    /// transaction then.
    Result<Flow> ApplyIn(db::Tx& tx, db::PendingEvents& events, const std::string& flow_id, const OpsRequest& request,
                         Source source, const RequestMeta& meta);
    /// The current version of a live flow, when the caller has at least `need` in its workspace (404 otherwise).
    Result<Flow> GetIn(db::Tx& tx, const std::string& flow_id, const RequestMeta& meta, identity::Role need) const;

    const FlowSettings& settings() const { return settings_; }

  private:
    Result<Flow> ApplyStep(db::Tx& tx, WriteContext& w, const std::string& flow_id, const OpsRequest& request,
                           Source source);
    /// Runs a write step (tx, WriteContext&) as one unit of work: events published after commit.
    template <class Step>
    auto Write(const RequestMeta& meta, Step step);
    /// One item of a batch inside the batch's transaction; its error, if any.
    std::optional<Error> RunBatchItem(db::Tx& tx, const std::string& workspace_id, BatchOp& op, BatchResult& out,
                                      WriteContext& w);

    db::Database& db_;
    events::EventBus& bus_;
    const Clock& clock_;
    const identity::WorkspaceService& workspaces_;
    render::Graphviz& graphviz_;
    FlowSettings settings_;
    std::shared_ptr<VersionCache<ExportFile>> files_;  ///< documents and exports of immutable versions
    std::shared_ptr<VersionCache<Graph>> graphs_;      ///< decoded graphs, so a write need not decode what it edits
};

/// A one-line description of what changed between two graphs: "added 2 screens, changed 1 edge".
std::string SummarizeChange(const FlowDraft& before, const FlowDraft& after);
/// "created with 3 nodes and 2 edges".
std::string SummarizeCreation(const FlowDraft& draft);

}  // namespace uxf::flows
