// One workspace's chunk vectors in memory, for search by meaning: an exact scan while the workspace holds few of
// them, an HNSW graph (hnswlib: approximate, logarithmic) from `hnsw_threshold` vectors on. The database holds the
// vectors (the source of truth); this is rebuilt from it, document by document. Not thread-safe: the owner locks.
#pragma once
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
    std::size_t ef_construction = 200;  ///< candidates kept while linking a new node
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
    /// components, one after the other.
    void PutDocument(const std::string& document_id, std::vector<ChunkRef> refs, std::span<const float> vectors);
    void RemoveDocument(const std::string& document_id);

    struct Hit {
        const ChunkRef* chunk;
        double score;  ///< cosine similarity
    };
    /// The `k` chunks nearest to the unit vector `query`, best first; only `document_id`'s when it is not empty
    /// (an exact scan of that document's chunks).
    std::vector<Hit> Search(std::span<const float> query, std::size_t k, const std::string& document_id = "") const;

  private:
    using Slot = std::uint32_t;
    std::span<const float> VectorOf(Slot slot, std::vector<float>& scratch) const;
    double Similarity(std::span<const float> a, std::span<const float> b) const;
    void BuildGraph(std::vector<std::pair<Slot, std::vector<float>>> points);
    void Compact();

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
};

}  // namespace uxf::knowledge
