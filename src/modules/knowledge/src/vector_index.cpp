#include "vector_index.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>

// hnswlib 0.6.2 (Debian's) prefetches the link after the last one of a list (`*(datal + j + 1)` in
// searchBaseLayer): a read one element past a heap block. Harmless (a prefetch hint of whatever is there), but
// AddressSanitizer reports it, so sanitized builds leave out hnswlib's SSE code, prefetches included.
#if defined(__SANITIZE_ADDRESS__)
#define NO_MANUAL_VECTORIZATION
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NO_MANUAL_VECTORIZATION
#endif
#endif
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
    void Reserve(std::size_t n) {
        if (capacity() < n) hnsw.resizeIndex(std::max(capacity() * 2, n));
    }
};

VectorIndex::VectorIndex(std::size_t dims, VectorIndexSettings settings)
    : dims_(dims), settings_(settings), space_(std::make_unique<Space>(dims)) {
    if (dims == 0) throw std::invalid_argument("vector index: no dimensions");
}

VectorIndex::~VectorIndex() = default;
VectorIndex::GraphBuild::~GraphBuild() = default;

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

void VectorIndex::PutDocument(const std::string& document_id, std::vector<ChunkRef> refs,
                              std::span<const float> vectors) {
    if (vectors.size() != refs.size() * dims_) throw std::invalid_argument("vector index: vectors do not match chunks");
    RemoveDocument(document_id);
    if (refs.empty()) return;
    auto& slots = documents_[document_id];
    if (graph_) graph_->Reserve(chunks_.size() + refs.size());
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
    // Removed vectors stay in place (the graph routes through them) until they outnumber the live ones: then the
    // exact scan renumbers at once, and a graph is rebuilt (NeedsGraphBuild) or gives way to the exact scan.
    std::size_t dead = chunks_.size() - live_count_;
    if (!graph_ && !building_ && dead > live_count_ && dead >= 64) UseExactScan();
}

bool VectorIndex::NeedsGraphBuild() const {
    if (building_) return false;
    if (!graph_) return live_count_ >= settings_.hnsw_threshold;
    std::size_t dead = chunks_.size() - live_count_;
    return dead > live_count_ && dead >= 64;
}

// Renumbers the live chunks from slot 0 into the exact scan (cheap: a copy of the vectors).
void VectorIndex::UseExactScan() {
    std::vector<ChunkRef> chunks;
    std::vector<float> flat, scratch;
    chunks.reserve(live_count_);
    flat.reserve(live_count_ * dims_);
    for (auto& [id, slots] : documents_)
        for (Slot& slot : slots) {
            auto v = VectorOf(slot, scratch);
            flat.insert(flat.end(), v.begin(), v.end());
            chunks.push_back(std::move(chunks_[slot]));
            slot = static_cast<Slot>(chunks.size() - 1);
        }
    chunks_ = std::move(chunks);
    live_.assign(chunks_.size(), true);
    flat_ = std::move(flat);
    graph_.reset();
}

std::unique_ptr<VectorIndex::GraphBuild> VectorIndex::StartGraphBuild() {
    if (!NeedsGraphBuild()) return nullptr;
    if (graph_ && live_count_ < settings_.hnsw_threshold / 2) {  // too few left for a graph
        UseExactScan();
        return nullptr;
    }
    std::unique_ptr<GraphBuild> build(new GraphBuild());
    build->owner_ = this;
    build->slots_then_ = chunks_.size();
    build->slots_.reserve(live_count_);
    build->vectors_.reserve(live_count_ * dims_);
    std::vector<float> scratch;
    for (Slot slot = 0; slot < chunks_.size(); ++slot)
        if (live_[slot]) {
            auto v = VectorOf(slot, scratch);
            build->slots_.push_back(slot);
            build->vectors_.insert(build->vectors_.end(), v.begin(), v.end());
        }
    build->graph_ =
        std::make_unique<Graph>(&space_->ip, build->slots_.size() + build->slots_.size() / 4 + 16, settings_);
    building_ = true;
    return build;
}

// hnswlib's addPoint may run on several threads at once: the points are shared out among the cores. The graph's
// labels are positions in slots_; FinishGraphBuild renumbers the index to match.
void VectorIndex::GraphBuild::Run(const std::atomic<bool>& stop) {
    std::size_t n = slots_.size(), dims = n ? vectors_.size() / n : 0;
    std::atomic<std::size_t> next = 0;
    auto work = [&] {
        for (std::size_t i; !stop && (i = next++) < n;) graph_->hnsw.addPoint(vectors_.data() + i * dims, i);
    };
    std::size_t threads = n < 2048 ? 1 : std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    complete_ = !stop;
    vectors_ = {};  // the graph holds them now
}

void VectorIndex::FinishGraphBuild(std::unique_ptr<GraphBuild> build) {
    if (!build || build->owner_ != this) return;
    building_ = false;
    if (!build->complete_) return;
    // The graph's label i is the old slot build->slots_[i]: the index takes the graph's numbering, drops what was
    // removed meanwhile (marked deleted in the graph), and appends what came after the copy.
    constexpr Slot kGone = ~Slot{0};
    std::vector<Slot> renumber(chunks_.size(), kGone);
    std::vector<ChunkRef> chunks;
    std::vector<bool> live;
    auto& hnsw = build->graph_->hnsw;
    for (std::size_t i = 0; i < build->slots_.size(); ++i) {
        Slot old = build->slots_[i];
        chunks.push_back(std::move(chunks_[old]));
        live.push_back(live_[old]);
        if (live_[old])
            renumber[old] = static_cast<Slot>(i);
        else
            hnsw.markDelete(i);
    }
    std::vector<float> scratch;
    for (Slot old = static_cast<Slot>(build->slots_then_); old < chunks_.size(); ++old) {
        if (!live_[old]) continue;
        auto v = VectorOf(old, scratch);
        build->graph_->Reserve(chunks.size() + 1);
        hnsw.addPoint(v.data(), chunks.size());
        renumber[old] = static_cast<Slot>(chunks.size());
        chunks.push_back(std::move(chunks_[old]));
        live.push_back(true);
    }
    for (auto& [id, slots] : documents_)
        for (Slot& slot : slots) slot = renumber[slot];
    chunks_ = std::move(chunks);
    live_ = std::move(live);
    flat_ = {};
    graph_ = std::move(build->graph_);
}

void VectorIndex::Settle() {
    std::atomic<bool> stop = false;
    if (auto build = StartGraphBuild()) {
        build->Run(stop);
        FinishGraphBuild(std::move(build));
    }
}

std::vector<VectorIndex::Hit> VectorIndex::Search(std::span<const float> query, std::size_t k,
                                                  const std::string& document_id) const {
    std::vector<Hit> hits;
    if (query.size() != dims_ || k == 0) return hits;
    if (graph_ && document_id.empty()) {
        auto found = graph_->hnsw.searchKnn(query.data(), k);
        hits.resize(found.size());
        for (std::size_t i = found.size(); i-- > 0; found.pop())  // the queue's top is the farthest
            hits[i] = {&chunks_[found.top().second], 1.0 - double(found.top().first)};
        return hits;
    }
    // An exact scan, keeping the best k in a heap (worst on top).
    auto worse = [](const Hit& a, const Hit& b) {
        return a.score != b.score ? a.score > b.score : a.chunk->chunk_id < b.chunk->chunk_id;
    };
    std::vector<float> scratch;
    auto consider = [&](Slot slot) {
        auto v = VectorOf(slot, scratch);
        double score = 1.0 - double(space_->distance(query.data(), v.data(), space_->param));
        if (hits.size() == k && score <= hits.front().score) return;
        hits.push_back({&chunks_[slot], score});
        std::push_heap(hits.begin(), hits.end(), worse);
        if (hits.size() > k) {
            std::pop_heap(hits.begin(), hits.end(), worse);
            hits.pop_back();
        }
    };
    if (!document_id.empty()) {
        if (auto it = documents_.find(document_id); it != documents_.end())
            for (Slot slot : it->second) consider(slot);
    } else {
        for (Slot slot = 0; slot < chunks_.size(); ++slot)
            if (live_[slot]) consider(slot);
    }
    std::sort_heap(hits.begin(), hits.end(), worse);
    return hits;
}

}  // namespace uxf::knowledge
