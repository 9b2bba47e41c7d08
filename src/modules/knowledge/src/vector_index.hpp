// One workspace's chunk vectors in memory, for search by meaning: an exact scan while the workspace holds few of
// them, an HNSW graph (hnswlib: approximate, logarithmic) from `hnsw_threshold` vectors on. The database holds the
// vectors (the source of truth); this is rebuilt from it, document by document. Not thread-safe: the owner locks.
//
// Building a graph takes long (about 50 s for 100,000 vectors of 100 dimensions on two cores), so it happens
// beside the index: StartGraphBuild copies the live vectors (under the owner's lock), GraphBuild::Run builds
// (without it, while the exact scan or the old graph go on serving), FinishGraphBuild swaps the graph in (under
// the lock), applying what changed meanwhile. Settle does all three at once.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace uxf::knowledge {

struct VectorIndexSettings {
    std::size_t hnsw_threshold = 4096;  ///< vectors from which the graph replaces the exact scan
    std::size_t m = 16;                 ///< graph links per node (hnswlib's M)
    std::size_t ef_construction = 100;  ///< candidates kept while linking a new node
    std::size_t ef_search = 96;         ///< candidates kept while searching (at least k)
};

/// A chunk as the index knows it.
struct ChunkRef {
    std::string chunk_id, document_id;
};

class VectorIndex {
  public:
    VectorIndex(std::size_t dims, VectorIndexSettings settings);
    ~VectorIndex();
    VectorIndex(const VectorIndex&) = delete;
    VectorIndex& operator=(const VectorIndex&) = delete;

    std::size_t dims() const { return dims_; }
    std::size_t size() const { return live_count_; }
    bool uses_graph() const { return graph_ != nullptr; }
    /// Approximate bytes held (vectors, graph links, chunk references).
    std::size_t MemoryBytes() const;

    /// Sets a document's chunks, replacing those it had. `vectors` holds refs.size() unit vectors of dims()
    /// components, one after the other. The graph, once there, takes them at once; the exact scan holds them
    /// until a graph is built.
    void PutDocument(const std::string& document_id, std::vector<ChunkRef> refs, std::span<const float> vectors);
    void RemoveDocument(const std::string& document_id);

    struct Hit {
        const ChunkRef* chunk;
        double score;  ///< cosine similarity
    };
    /// The `k` chunks nearest to the unit vector `query`, best first; only `document_id`'s when it is not empty
    /// (an exact scan of that document's chunks).
    std::vector<Hit> Search(std::span<const float> query, std::size_t k, const std::string& document_id = "") const;

    class GraphBuild;
    /// A graph build is due: the exact scan reached the threshold, or removed vectors outnumber the graph's live
    /// ones. None is due while one is under way.
    bool NeedsGraphBuild() const;
    /// The live vectors, copied, for a build; null when none is due (or the graph is to give way to the exact scan,
    /// which it does here and now).
    std::unique_ptr<GraphBuild> StartGraphBuild();
    /// Swaps in the graph a finished build made (applying the documents put and removed since it started); a build
    /// that was stopped, or started on another index, is dropped.
    void FinishGraphBuild(std::unique_ptr<GraphBuild> build);
    /// Builds what is due, here and now.
    void Settle();

  private:
    using Slot = std::uint32_t;
    std::span<const float> VectorOf(Slot slot, std::vector<float>& scratch) const;
    void UseExactScan();

    std::size_t dims_;
    VectorIndexSettings settings_;
    struct Space;
    std::unique_ptr<Space> space_;
    std::vector<ChunkRef> chunks_;  ///< by slot
    std::vector<bool> live_;        ///< by slot
    std::vector<float> flat_;       ///< by slot, dims_ each; empty once the graph holds the vectors
    std::unordered_map<std::string, std::vector<Slot>> documents_;
    std::size_t live_count_ = 0;
    struct Graph;
    std::unique_ptr<Graph> graph_;
    bool building_ = false;
};

/// A graph being built from a copy of an index's live vectors.
class VectorIndex::GraphBuild {
  public:
    ~GraphBuild();
    /// Builds the graph on every core; returns early (and the build is dropped) once `stop` is set.
    void Run(const std::atomic<bool>& stop);

  private:
    friend class VectorIndex;
    GraphBuild() = default;
    const VectorIndex* owner_ = nullptr;
    std::vector<Slot> slots_;     ///< the index's slots copied, in the new graph's order
    std::vector<float> vectors_;  ///< theirs, dims each
    std::size_t slots_then_ = 0;  ///< the index's slot count when copied: slots from there on came later
    std::unique_ptr<Graph> graph_;
    bool complete_ = false;
};

}  // namespace uxf::knowledge
