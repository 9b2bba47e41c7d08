// Re-embedding: when the server's embedding provider or model changes (or search by meaning is turned on for
// chunks ingested without it), a job per workspace gives every chunk a vector of the current model, one document
// per transaction. Until it is done, search by meaning sees the chunks already re-embedded and search by words sees
// all of them. A job that dies half-way is resumed or taken over: it picks up the chunks still on another model.
#include "documents.hpp"
#include "uxf/platform/jobs.hpp"
#include "vector_store.hpp"

namespace uxf::knowledge {
namespace {

constexpr const char* kStale = "(embedding IS NULL OR embedding_model <> :m)";

}  // namespace

std::vector<std::vector<float>> EmbedForJob(EmbeddingProvider& embeddings, std::span<const std::string> texts,
                                            std::span<const std::string> languages) {
    try {
        return embeddings.Embed(texts, languages);
    } catch (const EmbeddingError& e) {
        if (e.transient) throw jobs::TransientError(e.what());
        throw;
    }
}

std::size_t KnowledgeService::ScheduleReembedding() {
    if (!embeddings_) return 0;
    std::string model = ModelName(*embeddings_);
    std::size_t scheduled = 0;
    db_.Write([&](db::Tx& tx) {
        for (const auto& r :
             tx.Query(std::string("SELECT DISTINCT workspace_id FROM knowledge_chunks WHERE ") + kStale, {model})) {
            std::string ws = r.Str(0);
            if (jobs::Pending(tx, kReembedJob, ws)) continue;
            jobs::Enqueue(tx, {kReembedJob, ws, ws, model, ""}, clock_.Now(), job_settings_);
            ++scheduled;
        }
    });
    if (scheduled && notify_) notify_();
    return scheduled;
}

void ReembedWorkspace(jobs::Context& ctx, db::Database& db, EmbeddingProvider* embeddings) {
    if (!embeddings) return;  // this process has no provider: nothing it can do, and nothing to undo
    const std::string& ws = ctx.job().workspace_id;
    std::string model = ModelName(*embeddings);
    auto count = [&](db::Tx& tx) {
        return tx
            .QueryOne(std::string("SELECT COUNT(*) FROM knowledge_chunks WHERE workspace_id = :w AND ") + kStale,
                      {ws, model})
            ->Int(0);
    };
    std::int64_t total = db.Read(count), done = 0;
    while (true) {
        ctx.ThrowIfStopped();
        auto doc = db.Read([&](db::Tx& tx) {
            return tx.QueryOne(std::string("SELECT document_id FROM knowledge_chunks WHERE workspace_id = :w AND ") +
                                   kStale + " LIMIT 1",
                               {ws, model});
        });
        if (!doc) break;
        std::string document_id = doc->Str(0);
        auto rows = db.Read([&](db::Tx& tx) {
            return tx.Query("SELECT id, heading, text, language FROM knowledge_chunks WHERE document_id = :d",
                            {document_id});
        });
        std::vector<std::string> texts, languages;
        for (const auto& r : rows) {
            texts.push_back(r.Str(1) + "\n" + r.Str(2));
            languages.push_back(r.Str(3));
        }
        auto vectors = EmbedForJob(*embeddings, texts, languages);
        db.Write([&](db::Tx& tx) {
            for (std::size_t i = 0; i < rows.size(); ++i)
                tx.Exec("UPDATE knowledge_chunks SET embedding = :e, embedding_model = :m WHERE id = :id AND text = :t",
                        {db::Blob{PackVector(vectors.at(i))}, model, rows[i].Str(0), rows[i].Str(2)});
            tx.Exec("UPDATE knowledge_documents SET generation = :g WHERE id = :d",
                    {BumpGeneration(tx, ws), document_id});
        });
        done += static_cast<std::int64_t>(rows.size());
        ctx.Progress(static_cast<int>(std::min<std::int64_t>(99, total ? done * 100 / total : 99)),
                     "re-embedding chunks");
    }
}

}  // namespace uxf::knowledge
