// Knowledge: the documents a team uploads (design system, policies, research, support articles), chunked and
// indexed by a durable job, and found again by their words (and, with embeddings, by their meaning).
#pragma once
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "uxf/core/clock.hpp"
#include "uxf/core/context.hpp"
#include "uxf/core/pagination.hpp"
#include "uxf/core/result.hpp"
#include "uxf/knowledge/settings.hpp"

namespace uxf {
template <class T>
class LruCache;
}
namespace uxf::db {
class Database;
}
namespace uxf::events {
class EventBus;
}
namespace uxf::identity {
class WorkspaceService;
}
namespace uxf::jobs {
class Runner;
struct JobSettings;
}  // namespace uxf::jobs
namespace uxf::search {
class TextIndex;
}

namespace uxf::knowledge {

class EmbeddingProvider;
class VectorStore;
class TermCounts;
class VectorIndex;
struct QueryVector;

/// queued: waiting for the ingestion job; processing; ready: searchable; failed: `error` says why.
enum class DocumentStatus { kQueued, kProcessing, kReady, kFailed };
std::string_view StatusName(DocumentStatus s);

struct Document {
    std::string id, workspace_id, title, content_type;
    std::int64_t size_bytes = 0;
    DocumentStatus status = DocumentStatus::kQueued;
    std::string error;
    std::int64_t chunk_count = 0;
    Micros created_at = 0, updated_at = 0;
    std::string created_by;
};

struct NewDocument {
    std::string title;
    std::string content_type;  ///< text/plain, text/markdown, text/html or application/pdf
    std::string content;       ///< as uploaded (bytes for PDF)
};

enum class SearchMode { kHybrid, kVector, kKeyword };

struct SearchQuery {
    std::string q;
    std::size_t k = 10;
    SearchMode mode = SearchMode::kHybrid;
    std::string document_id;  ///< only this document's chunks, when set
};

struct SearchHit {
    std::string document_id, chunk_id, title, heading, text;
    std::string snippet;  ///< the best passage, HTML-escaped, query words inside <mark></mark>
    double score = 0;
    std::string language;  ///< en, de, es, fr or other
};

struct PatternHit {
    std::string id, name, description;  ///< in the locale asked for
    std::vector<std::string> tags;
    double score = 0;
};

class KnowledgeService {
  public:
    /// The kind of the ingestion jobs this service enqueues and RegisterJobs handles.
    static constexpr const char* kIngestJob = "knowledge.ingest";
    /// The kind of the jobs that give a workspace's chunks vectors of the current embedding model.
    static constexpr const char* kReembedJob = "knowledge.reembed";

    KnowledgeService(db::Database& db, events::EventBus& bus, const Clock& clock,
                     const identity::WorkspaceService& workspaces, const jobs::JobSettings& job_settings,
                     KnowledgeSettings settings);
    ~KnowledgeService();

    /// Stores the document and enqueues its ingestion (status `queued`). Editors of the workspace.
    Result<Document> Create(const std::string& workspace_id, NewDocument doc, const RequestMeta& meta);
    /// Newest first. Members of the workspace.
    Result<Page<Document>> List(const std::string& workspace_id, int limit, const std::string& cursor,
                                const RequestMeta& meta) const;
    /// A document of `workspace_id` (404 for another workspace's).
    Result<Document> Get(const std::string& workspace_id, const std::string& id, const RequestMeta& meta) const;
    /// Removes the document, its chunks and their index entries, and stops its ingestion. Editors.
    Result<void> Delete(const std::string& workspace_id, const std::string& id, const RequestMeta& meta);
    /// The workspace's chunks that match `query`, best first. Members.
    Result<std::vector<SearchHit>> Search(const std::string& workspace_id, const SearchQuery& query,
                                          const RequestMeta& meta) const;

    /// Writes the built-in patterns into the search index (in every locale); the app calls it when it starts
    /// serving. Entries that did not change are left alone.
    void IndexPatterns();
    /// Patterns matching `q` in any language, best first (all of them, by id, for an empty `q`); names and
    /// descriptions in `locale` (English when the pattern has no text in it).
    Result<std::vector<PatternHit>> SearchPatterns(const std::string& q, std::size_t k,
                                                   const std::string& locale) const;

    /// Search by meaning: chunks ingested from now on get a vector from `provider`, and `vector` and `hybrid`
    /// searches use it. Without one (no vectors file), search is by words only. Set before the job runner starts.
    void SetEmbeddings(std::shared_ptr<EmbeddingProvider> provider) { embeddings_ = std::move(provider); }

    /// Enqueues a re-embedding job for each workspace holding chunks without a vector of the current provider and
    /// model (the provider changed, or chunks were ingested without one), unless one is already waiting or running.
    /// The app calls it when it starts serving; returns the number of jobs enqueued.
    std::size_t ScheduleReembedding();

    /// Registers the ingestion job's handler (extract, chunk, detect languages, index) with `runner`.
    void RegisterJobs(jobs::Runner& runner);
    /// Wakes the runner after an upload (set by the composition root; may be empty).
    void SetJobNotifier(std::function<void()> notify) { notify_ = std::move(notify); }

    const KnowledgeSettings& settings() const { return settings_; }
    /// Waits until the vector graphs being built on their own threads are done (tests and benchmarks).
    void WaitForVectorIndexes();

  private:
    std::vector<float> EmbedQuery(const std::string& q, const std::string& language) const;
    std::shared_ptr<const VectorIndex> PatternVectors() const;

    db::Database& db_;
    events::EventBus& bus_;
    const Clock& clock_;
    const identity::WorkspaceService& workspaces_;
    const jobs::JobSettings& job_settings_;
    KnowledgeSettings settings_;
    std::unique_ptr<search::TextIndex> index_, patterns_;
    std::shared_ptr<EmbeddingProvider> embeddings_;
    std::unique_ptr<VectorStore> vectors_;                  ///< per workspace, built from the stored vectors
    std::unique_ptr<TermCounts> term_counts_;               ///< how common the words searched for are
    std::unique_ptr<LruCache<QueryVector>> query_vectors_;  ///< recent queries' vectors
    mutable std::mutex pattern_mu_;
    mutable std::atomic<std::shared_ptr<const VectorIndex>> pattern_vectors_;  ///< the patterns by meaning
    mutable Micros pattern_retry_at_ = 0;                                      ///< under pattern_mu_
    std::function<void()> notify_;
    std::uint64_t subscription_ = 0;
};

}  // namespace uxf::knowledge
