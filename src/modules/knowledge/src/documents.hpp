// Shared by the service's parts (documents, ingestion, search): the document rows and the words indexed.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "uxf/knowledge/embeddings.hpp"
#include "uxf/knowledge/knowledge_service.hpp"
#include "uxf/platform/database.hpp"
#include "uxf/platform/jobs.hpp"
#include "uxf/platform/text_index.hpp"

namespace uxf::knowledge {

/// The text index the chunks are in (scope: the workspace, group: the document).
inline constexpr const char* kChunkIndex = "knowledge";
/// The text index of the pattern library: one entry per pattern and locale, all in one scope.
inline constexpr const char* kPatternIndex = "patterns";
inline constexpr const char* kPatternScope = "built-in";

/// The columns DocumentFromRow reads, in its order.
inline constexpr const char* kDocumentColumns =
    "id, workspace_id, title, content_type, size_bytes, status, error, chunk_count, created_at, updated_at, created_by";
Document DocumentFromRow(const db::Row& r);

/// The words a chunk is indexed under: its words stemmed in its language, and as written when that differs; not
/// its language's stop words.
std::string IndexTerms(std::string_view text, std::string_view language);
/// The words a query looks for, as written and stemmed: in `language` when it is known, else in each language
/// the module stems (a query is often too short to tell). Stop words (of `language`, or of any of the four) are
/// left out, unless the query holds nothing else.
std::vector<std::string> QueryTerms(std::string_view q, std::string_view language);
/// The language a query is written in when CLD2 can tell reliably and it is one of the four, else "".
std::string QueryLanguage(std::string_view q);

/// The ingestion job's work for the document the job is about (jobs::Job::subject_id); chunks get vectors when
/// `embeddings` is set.
void IngestDocument(jobs::Context& ctx, db::Database& db, search::TextIndex& index, EmbeddingProvider* embeddings,
                    const KnowledgeSettings& s, const Clock& clock);

/// An entry of a ranking (a chunk or a pattern's locale) and its score; rankings are best first.
struct Scored {
    std::string id;
    double score = 0;
};
using Ranked = std::vector<Scored>;
/// Hybrid search: the `k` best of the word and meaning rankings fused (search.cpp says how).
Ranked Fuse(const Ranked& words, const Ranked& meaning, std::size_t k);

/// A query's vector, as the query cache keeps it.
struct QueryVector {
    std::vector<float> values;
};
std::size_t MemoryOf(const QueryVector& v);

/// The re-embedding job's work for the workspace it is about: every chunk not on `embeddings`'s model gets a
/// vector of it (reembed.cpp).
void ReembedWorkspace(jobs::Context& ctx, db::Database& db, EmbeddingProvider* embeddings);
/// Embed for a job: a provider's transient failure becomes jobs::TransientError (the job is retried later).
std::vector<std::vector<float>> EmbedForJob(EmbeddingProvider& embeddings, std::span<const std::string> texts,
                                            std::span<const std::string> languages);

/// The name stored with a vector: "provider/model".
std::string ModelName(const EmbeddingProvider& p);
/// Vectors as stored: float32, little-endian, packed.
std::string PackVector(const std::vector<float>& v);
std::vector<float> UnpackVector(std::string_view bytes);

}  // namespace uxf::knowledge
