// The ingestion job: a document's text, chunks, languages and index entries, stored in one transaction with the
// job's completion (a job taken over after a crash stores them once).
#include <map>

#include "documents.hpp"
#include "text/chunk.hpp"
#include "text/extract.hpp"
#include "uxf/knowledge/language.hpp"
#include "uxf/platform/jobs.hpp"
#include "uxf/platform/text_index.hpp"
#include "vector_store.hpp"

namespace uxf::knowledge {

void IngestDocument(jobs::Context& ctx, db::Database& db, search::TextIndex& index, EmbeddingProvider* embeddings,
                    const KnowledgeSettings& s, const Clock& clock) {
    const std::string& id = ctx.job().subject_id;
    auto row = db.Read([&](db::Tx& tx) {
        return tx.QueryOne("SELECT content_type, content, title FROM knowledge_documents WHERE id = :id", {id});
    });
    if (!row) return;  // deleted before its turn
    // A document that cannot be ingested fails, saying why, with the job's completion.
    auto fail = [&](const std::string& error) {
        ctx.Finish([&](db::Tx& tx) {
            tx.Exec("UPDATE knowledge_documents SET status = 'failed', error = :e, updated_at = :t WHERE id = :id",
                    {error, clock.Now(), id});
        });
    };
    db.Write([&](db::Tx& tx) {
        tx.Exec("UPDATE knowledge_documents SET status = 'processing', updated_at = :t WHERE id = :id",
                {clock.Now(), id});
    });
    ctx.Progress(10, "extracting text");
    std::string title = row->Str(2);
    auto type = ParseContentType(row->Str(0));
    auto blocks = type ? ExtractBlocks(*type, row->Str(1))
                       : Result<std::vector<Block>>(Error::Make(ErrorCode::kUnprocessable, "unreadable_document",
                                                                "unknown content type " + row->Str(0)));
    if (!blocks.ok()) return fail(blocks.error().message);
    ctx.Progress(40, "chunking");
    auto chunks = ChunkBlocks(*blocks, {s.chunk_min_words, s.chunk_max_words, s.chunk_overlap_words});
    if (chunks.empty()) return fail("the document holds no text");
    struct Stored {
        std::string id, language, terms;
    };
    std::vector<Stored> stored;
    std::map<std::string, std::size_t> seen;  // text -> occurrences so far, for stable ids
    for (const auto& c : chunks) {
        std::string language = DetectLanguage(c.heading + "\n" + c.text).code;
        stored.push_back({ChunkId(id, c.text, seen[c.text]++), language,
                          IndexTerms(title + "\n" + c.heading + "\n" + c.text, language)});
        ctx.ThrowIfStopped();
    }
    std::vector<std::string> vectors(chunks.size()), texts, languages;
    if (embeddings) {
        ctx.Progress(60, "embedding");
        for (std::size_t i = 0; i < chunks.size(); ++i) {
            texts.push_back(chunks[i].heading + "\n" + chunks[i].text);
            languages.push_back(stored[i].language);
        }
        std::vector<std::vector<float>> v;
        try {
            v = EmbedForJob(*embeddings, texts, languages);
        } catch (const EmbeddingError& e) {  // one the provider will refuse again (transient ones are retried)
            return fail(e.what());
        }
        for (std::size_t i = 0; i < v.size(); ++i) vectors[i] = PackVector(v[i]);
    }
    std::string model = embeddings ? ModelName(*embeddings) : "";
    ctx.Progress(80, "indexing");
    ctx.Finish([&](db::Tx& tx) {
        if (!tx.QueryOne("SELECT id FROM knowledge_documents WHERE id = :id", {id})) return;  // deleted meanwhile
        auto workspace = ctx.job().workspace_id;
        index.RemoveGroup(tx, id);
        tx.Exec("DELETE FROM knowledge_chunks WHERE document_id = :d", {id});
        for (std::size_t i = 0; i < chunks.size(); ++i) {
            tx.Exec(
                "INSERT INTO knowledge_chunks (id, document_id, workspace_id, ordinal, heading, text, language, "
                "words, embedding, embedding_model) VALUES (:id, :d, :w, :o, :h, :t, :l, :n, :e, :m)",
                {stored[i].id, id, workspace, static_cast<std::int64_t>(i), chunks[i].heading, chunks[i].text,
                 stored[i].language, static_cast<std::int64_t>(chunks[i].words),
                 embeddings ? db::Value(db::Blob{vectors[i]}) : db::kNull, model});
            index.Put(tx, workspace, id, stored[i].id, stored[i].terms);
        }
        tx.Exec(
            "UPDATE knowledge_documents SET status = 'ready', error = '', chunk_count = :n, updated_at = :t, "
            "generation = :g WHERE id = :id",
            {static_cast<std::int64_t>(chunks.size()), clock.Now(), BumpGeneration(tx, workspace), id});
    });
}

}  // namespace uxf::knowledge
