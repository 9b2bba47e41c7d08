#include "vector_index.hpp"

#include <algorithm>
#include <stdexcept>

#include <hnswlib/hnswlib.h>

namespace uxf::knowledge {

struct VectorIndex::Space {
    explicit Space(std::size_t dims) : ip(dims), distance(ip.get_dist_func()), param(ip.get_dist_func_param()) {}
    hnswlib::InnerProductSpace ip;  // distance 1 - a.b: SIMD where the CPU has it
    hnswlib::DISTFUNC<float> distance;
    void* param;
};

struct VectorIndex::Graph {
    Graph(hnswlib::SpaceInterface<float>* space, std::size_t capacity, const VectorIndexSettings& s)
        : hnsw(space, capacity, s.m, s.ef_construction) {
        hnsw.setEf(s.ef_search);
    }
    hnswlib::HierarchicalNSW<float> hnsw;
    std::size_t capacity() const { return hnsw.max_elements_; }
};

VectorIndex::VectorIndex(std::size_t dims, VectorIndexSettings settings)
    : dims_(dims), settings_(settings), space_(std::make_unique<Space>(dims)) {
    if (dims == 0) throw std::invalid_argument("vector index: no dimensions");
}

VectorIndex::~VectorIndex() = default;

std::size_t VectorIndex::MemoryBytes() const {
    std::size_t bytes = flat_.capacity() * sizeof(float) + live_.capacity() / 8;
    for (const auto& c : chunks_) bytes += sizeof(ChunkRef) + c.chunk_id.capacity() + c.document_id.capacity();
    for (const auto& [id, slots] : documents_) bytes += 64 + id.capacity() + slots.capacity() * sizeof(Slot);
    if (graph_) {
        const auto& h = graph_->hnsw;
        // The base layer is allocated for the whole capacity; upper layers hold about 1/M of the nodes.
        bytes += h.max_elements_ * (h.size_data_per_element_ + sizeof(void*) + 2 * sizeof(std::size_t));
        bytes += h.cur_element_count / std::max<std::size_t>(settings_.m, 2) * h.size_links_per_element_;
    }
    return bytes;
}

std::span<const float> VectorIndex::VectorOf(Slot slot, std::vector<float>& scratch) const {
    if (!graph_) return {flat_.data() + std::size_t(slot) * dims_, dims_};
    scratch = graph_->hnsw.getDataByLabel<float>(slot);
    return scratch;
}

double VectorIndex::Similarity(std::span<const float> a, std::span<const float> b) const {
    return 1.0 - double(space_->distance(a.data(), b.data(), space_->param));
}

void VectorIndex::PutDocument(const std::string& document_id, std::vector<ChunkRef> refs,
                              std::span<const float> vectors) {
    if (vectors.size() != refs.size() * dims_) throw std::invalid_argument("vector index: vectors do not match chunks");
    RemoveDocument(document_id);
    if (refs.empty()) return;
    auto& slots = documents_[document_id];
    if (graph_ && graph_->capacity() < chunks_.size() + refs.size())
        graph_->hnsw.resizeIndex(std::max(graph_->capacity() * 2, chunks_.size() + refs.size()));
    for (std::size_t i = 0; i < refs.size(); ++i) {
        auto slot = static_cast<Slot>(chunks_.size());
        chunks_.push_back(std::move(refs[i]));
        live_.push_back(true);
        const float* v = vectors.data() + i * dims_;
        if (graph_)
            graph_->hnsw.addPoint(v, slot);
        else
            flat_.insert(flat_.end(), v, v + dims_);
        slots.push_back(slot);
    }
    live_count_ += refs.size();
    if (!graph_ && live_count_ >= settings_.hnsw_threshold) Compact();
}

void VectorIndex::RemoveDocument(const std::string& document_id) {
    auto it = documents_.find(document_id);
    if (it == documents_.end()) return;
    for (Slot slot : it->second) {
        live_[slot] = false;
        if (graph_) graph_->hnsw.markDelete(slot);
    }
    live_count_ -= it->second.size();
    documents_.erase(it);
    // Removed vectors stay in place (the graph routes through them) until they outnumber the live ones.
    std::size_t dead = chunks_.size() - live_count_;
    if (dead > live_count_ && dead >= 64) Compact();
}

// Renumbers the live chunks from slot 0 and rebuilds what holds the vectors: the graph at or above the threshold,
// the flat array below half of it (so that a workspace near the threshold does not flip at every change).
void VectorIndex::Compact() {
    std::vector<std::pair<Slot, std::vector<float>>> points;
    std::vector<ChunkRef> chunks;
    std::vector<float> scratch;
    points.reserve(live_count_);
    chunks.reserve(live_count_);
    for (auto& [id, slots] : documents_)
        for (Slot& slot : slots) {
            auto v = VectorOf(slot, scratch);
            auto fresh = static_cast<Slot>(chunks.size());
            points.emplace_back(fresh, std::vector<float>(v.begin(), v.end()));
            chunks.push_back(std::move(chunks_[slot]));
            slot = fresh;
        }
    chunks_ = std::move(chunks);
    live_.assign(chunks_.size(), true);
    bool graph = graph_ ? live_count_ >= settings_.hnsw_threshold / 2 : live_count_ >= settings_.hnsw_threshold;
    graph_.reset();
    flat_.clear();
    if (graph) {
        BuildGraph(std::move(points));
    } else {
        flat_.reserve(points.size() * dims_);
        for (const auto& [slot, v] : points) flat_.insert(flat_.end(), v.begin(), v.end());
        flat_.shrink_to_fit();
    }
}

void VectorIndex::BuildGraph(std::vector<std::pair<Slot, std::vector<float>>> points) {
    graph_ =
        std::make_unique<Graph>(&space_->ip, std::max<std::size_t>(points.size() + points.size() / 4, 16), settings_);
    for (const auto& [slot, v] : points) graph_->hnsw.addPoint(v.data(), slot);
}

std::vector<VectorIndex::Hit> VectorIndex::Search(std::span<const float> query, std::size_t k,
                                                  const std::string& document_id) const {
    std::vector<Hit> hits;
    if (query.size() != dims_ || k == 0) return hits;
    if (graph_ && document_id.empty()) {
        auto found = graph_->hnsw.searchKnn(query.data(), k);
        hits.resize(found.size());
        for (std::size_t i = found.size(); i-- > 0; found.pop()) {  // the queue's top is the farthest
            hits[i] = {&chunks_[found.top().second], 1.0 - double(found.top().first)};
        }
        return hits;
    }
    std::vector<float> scratch;
    auto consider = [&](Slot slot) { hits.push_back({&chunks_[slot], Similarity(query, VectorOf(slot, scratch))}); };
    if (!document_id.empty()) {
        if (auto it = documents_.find(document_id); it != documents_.end())
            for (Slot slot : it->second) consider(slot);
    } else {
        for (Slot slot = 0; slot < chunks_.size(); ++slot)
            if (live_[slot]) consider(slot);
    }
    auto better = [](const Hit& a, const Hit& b) {
        return a.score != b.score ? a.score > b.score : a.chunk->chunk_id < b.chunk->chunk_id;
    };
    if (hits.size() > k) {
        std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(k), hits.end(), better);
        hits.resize(k);
    } else {
        std::sort(hits.begin(), hits.end(), better);
    }
    return hits;
}

}  // namespace uxf::knowledge
