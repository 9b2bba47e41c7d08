// The workspaces' vector indexes of one process, kept in step with the database: each index is built on first use
// from the stored vectors, and brought up to date before every search when the workspace's change counter moved
// (a write in any process bumps it in the transaction that changes the chunks). Only the documents whose
// generation changed are reloaded. Bounded in memory: the least recently searched workspaces are dropped first.
// Thread-safe: searches of one workspace share its index; an update takes it alone. Graphs are built on threads
// of their own (the exact scan serves meanwhile); the store's destructor stops and joins them.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "vector_index.hpp"

namespace uxf::db {
class Tx;
}

namespace uxf::knowledge {

/// Bumps the workspace's change counter (in the caller's transaction) and returns its new value; every write
/// that adds, replaces or removes chunks calls it and stamps the documents it touched with the value.
std::int64_t BumpGeneration(db::Tx& tx, const std::string& workspace_id);

class VectorStore {
  public:
    VectorStore(VectorIndexSettings settings, std::size_t budget_bytes);
    ~VectorStore();

    struct Hit {
        std::string chunk_id;
        double score;
    };
    /// The `k` chunks of `workspace_id` with vectors of `model` nearest to `query`, best first (only
    /// `document_id`'s when set), as of what `tx` sees.
    std::vector<Hit> Search(db::Tx& tx, const std::string& workspace_id, const std::string& model,
                            std::span<const float> query, std::size_t k, const std::string& document_id);

    /// What the indexes hold in memory, in bytes.
    std::size_t MemoryBytes() const;
    /// Waits until no graph is being built (for tests and benchmarks).
    void WaitForBuilds();

  private:
    struct Entry;
    std::shared_ptr<Entry> Acquire(const std::string& key);
    void Sync(db::Tx& tx, const std::shared_ptr<Entry>& entry, const std::string& workspace_id,
              const std::string& model, std::size_t dims);
    void Evict();
    void StartBuild(const std::shared_ptr<Entry>& entry);

    VectorIndexSettings settings_;
    std::size_t budget_;
    mutable std::mutex mu_;
    std::map<std::string, std::shared_ptr<Entry>> entries_;  ///< by workspace and model
    std::uint64_t clock_ = 0;                                ///< for least-recently-used
    std::atomic<bool> stop_ = false;
    struct Builder;
    std::vector<std::unique_ptr<Builder>> builders_;  ///< under mu_
};

}  // namespace uxf::knowledge
