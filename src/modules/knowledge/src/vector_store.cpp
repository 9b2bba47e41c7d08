#include "vector_store.hpp"

#include <algorithm>
#include <cstring>
#include <shared_mutex>

#include "uxf/platform/database.hpp"

namespace uxf::knowledge {

std::int64_t BumpGeneration(db::Tx& tx, const std::string& workspace_id) {
    return tx
        .QueryOne(
            "INSERT INTO knowledge_workspace_state (workspace_id, generation) VALUES (:w, 1) ON CONFLICT "
            "(workspace_id) DO UPDATE SET generation = knowledge_workspace_state.generation + 1 RETURNING generation",
            {workspace_id})
        ->Int(0);
}

struct VectorStore::Entry {
    std::shared_mutex mu;
    std::int64_t generation = -1;                   ///< the workspace's change counter the index reflects
    std::map<std::string, std::int64_t> documents;  ///< loaded documents and their generations
    std::unique_ptr<VectorIndex> index;
    std::uint64_t last_used = 0;  ///< under the store's mutex
    std::size_t bytes = 0;        ///< under the store's mutex
};

VectorStore::VectorStore(VectorIndexSettings settings, std::size_t budget_bytes)
    : settings_(settings), budget_(budget_bytes) {}

struct VectorStore::Builder {
    std::thread thread;
    std::atomic<bool> done = false;
};

VectorStore::~VectorStore() {
    stop_ = true;
    WaitForBuilds();
}

void VectorStore::WaitForBuilds() {
    std::vector<std::unique_ptr<Builder>> builders;
    {
        std::lock_guard lock(mu_);
        builders.swap(builders_);
    }
    for (auto& b : builders) b->thread.join();
}

// Copies the vectors under the entry's lock (the caller holds it), builds on a thread of its own, and swaps the
// graph in under the lock again.
void VectorStore::StartBuild(const std::shared_ptr<Entry>& entry) {
    auto build = entry->index->StartGraphBuild();
    if (!build) return;
    auto builder = std::make_unique<Builder>();
    Builder* b = builder.get();
    b->thread = std::thread([this, entry, b, build = std::move(build)]() mutable {
        build->Run(stop_);
        {
            std::unique_lock write(entry->mu);
            entry->index->FinishGraphBuild(std::move(build));
            std::size_t bytes = entry->index->MemoryBytes();
            {
                std::lock_guard lock(mu_);
                entry->bytes = bytes;
            }
            Evict();
        }
        b->done = true;
    });
    std::lock_guard lock(mu_);
    // Finished builders are joined here, so that they do not pile up.
    std::erase_if(builders_, [](auto& old) {
        if (!old->done) return false;
        old->thread.join();
        return true;
    });
    builders_.push_back(std::move(builder));
}

std::shared_ptr<VectorStore::Entry> VectorStore::Acquire(const std::string& key) {
    std::lock_guard lock(mu_);
    auto& entry = entries_[key];
    if (!entry) entry = std::make_shared<Entry>();
    entry->last_used = ++clock_;
    return entry;
}

std::size_t VectorStore::MemoryBytes() const {
    std::lock_guard lock(mu_);
    std::size_t total = 0;
    for (const auto& [key, entry] : entries_) total += entry->bytes;
    return total;
}

// Drops the least recently searched indexes until the rest fit the budget (the one just used stays, whatever its
// size). A search holding a dropped entry finishes with it.
void VectorStore::Evict() {
    std::lock_guard lock(mu_);
    std::size_t total = 0;
    for (const auto& [key, entry] : entries_) total += entry->bytes;
    while (total > budget_ && entries_.size() > 1) {
        auto oldest = std::min_element(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) {
            return a.second->last_used < b.second->last_used;
        });
        total -= oldest->second->bytes;
        entries_.erase(oldest);
    }
}

void VectorStore::Sync(db::Tx& tx, const std::shared_ptr<Entry>& shared, const std::string& workspace_id,
                       const std::string& model, std::size_t dims) {
    Entry& entry = *shared;
    auto row = tx.QueryOne("SELECT generation FROM knowledge_workspace_state WHERE workspace_id = :w", {workspace_id});
    std::int64_t generation = row ? row->Int(0) : 0;
    {
        std::shared_lock read(entry.mu);
        if (entry.generation == generation && entry.index && entry.index->dims() == dims) return;
    }
    std::unique_lock write(entry.mu);
    if (entry.generation == generation && entry.index && entry.index->dims() == dims) return;
    if (!entry.index || entry.index->dims() != dims) {
        entry.index = std::make_unique<VectorIndex>(dims, settings_);
        entry.documents.clear();
    }
    // Which documents changed: those gone, and those new or re-ingested since the index last looked.
    std::map<std::string, std::int64_t> now;
    for (const auto& r :
         tx.Query("SELECT id, generation FROM knowledge_documents WHERE workspace_id = :w AND generation > 0",
                  {workspace_id}))
        now.emplace(r.Str(0), r.Int(1));
    for (auto it = entry.documents.begin(); it != entry.documents.end();) {
        if (now.contains(it->first)) {
            ++it;
            continue;
        }
        entry.index->RemoveDocument(it->first);
        it = entry.documents.erase(it);
    }
    std::vector<std::string> changed;
    for (const auto& [id, gen] : now)
        if (auto it = entry.documents.find(id); it == entry.documents.end() || it->second != gen) changed.push_back(id);
    // Their chunks, a batch of documents per query.
    constexpr std::size_t kBatch = 200;
    for (std::size_t from = 0; from < changed.size(); from += kBatch) {
        std::size_t to = std::min(changed.size(), from + kBatch);
        std::string sql =
            "SELECT document_id, id, embedding FROM knowledge_chunks WHERE workspace_id = :w AND "
            "embedding_model = :m AND document_id IN (";
        std::vector<db::Value> params{workspace_id, model};
        for (std::size_t i = from; i < to; ++i) {
            sql += (i == from ? ":d" : ", :d") + std::to_string(i);
            params.emplace_back(changed[i]);
        }
        sql += ") ORDER BY document_id, ordinal";
        std::map<std::string, std::pair<std::vector<ChunkRef>, std::vector<float>>> loaded;
        for (std::size_t i = from; i < to; ++i) loaded[changed[i]];  // a document without vectors is emptied too
        for (const auto& r : tx.Query(sql, params)) {
            std::string bytes = r.Str(2);
            if (bytes.size() != dims * sizeof(float)) continue;  // another model's dimensions: not comparable
            auto& [refs, vectors] = loaded[r.Str(0)];
            refs.push_back({r.Str(1), r.Str(0)});
            std::size_t at = vectors.size();
            vectors.resize(at + dims);
            std::memcpy(vectors.data() + at, bytes.data(), bytes.size());
        }
        for (auto& [id, doc] : loaded) {
            entry.index->PutDocument(id, std::move(doc.first), doc.second);
            entry.documents[id] = now[id];
        }
    }
    if (entry.index->NeedsGraphBuild()) StartBuild(shared);
    entry.generation = generation;
    std::size_t bytes = entry.index->MemoryBytes();
    {
        std::lock_guard lock(mu_);
        entry.bytes = bytes;
    }
    Evict();  // only when an index grew or shrank: a search that changed nothing leaves the others alone
}

std::vector<VectorStore::Hit> VectorStore::Search(db::Tx& tx, const std::string& workspace_id, const std::string& model,
                                                  std::span<const float> query, std::size_t k,
                                                  const std::string& document_id) {
    auto entry = Acquire(workspace_id + "\n" + model);
    Sync(tx, entry, workspace_id, model, query.size());
    std::vector<Hit> out;
    {
        std::shared_lock read(entry->mu);
        for (const auto& h : entry->index->Search(query, k, document_id)) out.push_back({h.chunk->chunk_id, h.score});
    }
    return out;
}

}  // namespace uxf::knowledge
