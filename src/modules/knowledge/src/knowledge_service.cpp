#include "uxf/knowledge/knowledge_service.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <set>

#include <fmt/format.h>

#include "documents.hpp"
#include "term_counts.hpp"
#include "text/extract.hpp"
#include "text/words.hpp"
#include "uxf/core/ids.hpp"
#include "uxf/core/lru_cache.hpp"
#include "uxf/core/strings.hpp"
#include "uxf/core/text.hpp"
#include "uxf/identity/workspace_service.hpp"
#include "uxf/platform/events.hpp"
#include "uxf/platform/jobs.hpp"
#include "uxf/platform/text_index.hpp"
#include "uxf/platform/unit_of_work.hpp"
#include "vector_index.hpp"
#include "vector_store.hpp"

namespace uxf::knowledge {
namespace {

using identity::Role;

DocumentStatus ParseStatus(const std::string& s) {
    for (auto st :
         {DocumentStatus::kQueued, DocumentStatus::kProcessing, DocumentStatus::kReady, DocumentStatus::kFailed})
        if (StatusName(st) == s) return st;
    throw std::runtime_error("knowledge: unknown document status " + s);
}

std::optional<Document> Load(db::Tx& tx, const std::string& workspace_id, const std::string& id) {
    auto r = tx.QueryOne(
        std::string("SELECT ") + kDocumentColumns + " FROM knowledge_documents WHERE id = :id AND workspace_id = :w",
        {id, workspace_id});
    if (!r) return std::nullopt;
    return DocumentFromRow(*r);
}

Result<void> CheckNew(const NewDocument& d, const KnowledgeSettings& s) {
    std::vector<FieldError> errors;
    if (Trim(d.title).empty())
        errors.push_back({"title", "is required"});
    else if (auto problem = TextProblem(d.title, TextKind::kLine))
        errors.push_back({"title", *problem});
    else if (Utf8Chars(d.title) > s.max_title_chars)
        errors.push_back({"title", fmt::format("at most {} characters", s.max_title_chars)});
    if (!ParseContentType(d.content_type))
        errors.push_back({"content_type", "must be text/plain, text/markdown, text/html or application/pdf"});
    if (Trim(d.content).empty()) errors.push_back({"content", "is required"});
    if (!errors.empty()) return Error::Invalid("the document is not valid", errors);
    if (d.content.size() > s.max_document_bytes) {
        Error e = Error::Make(ErrorCode::kPayloadTooLarge, "document_too_large",
                              fmt::format("a document holds at most {} bytes", s.max_document_bytes));
        e.errors = {{"content", fmt::format("at most {} bytes", s.max_document_bytes)}};
        return e;
    }
    return Ok();
}

}  // namespace

std::string_view StatusName(DocumentStatus s) {
    switch (s) {
        case DocumentStatus::kQueued:
            return "queued";
        case DocumentStatus::kProcessing:
            return "processing";
        case DocumentStatus::kReady:
            return "ready";
        case DocumentStatus::kFailed:
            return "failed";
    }
    return "queued";
}

Document DocumentFromRow(const db::Row& r) {
    return Document{r.Str(0), r.Str(1), r.Str(2), r.Str(3), r.Int(4), ParseStatus(r.Str(5)),
                    r.Str(6), r.Int(7), r.Int(8), r.Int(9), r.Str(10)};
}

std::string ModelName(const EmbeddingProvider& p) { return p.provider() + "/" + p.model(); }

std::string PackVector(const std::vector<float>& v) {
    static_assert(std::endian::native == std::endian::little, "vectors are stored little-endian");
    return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float));
}

std::vector<float> UnpackVector(std::string_view bytes) {
    std::vector<float> v(bytes.size() / sizeof(float));
    std::memcpy(v.data(), bytes.data(), v.size() * sizeof(float));
    return v;
}

std::string IndexTerms(std::string_view text, std::string_view language) {
    std::string out;
    for (const auto& w : Words(text)) {
        if (IsStopword(w, language)) continue;
        std::string stem = Stem(w, language);
        if (!out.empty()) out += ' ';
        out += stem;
        if (stem != w) (out += ' ') += w;
    }
    return out;
}

std::vector<std::string> QueryTerms(std::string_view q, std::string_view language) {
    auto words = Words(q);
    bool all_stopwords =
        std::all_of(words.begin(), words.end(), [&](const auto& w) { return IsStopword(w, language); });
    std::set<std::string> terms;
    for (const auto& w : words) {
        if (!all_stopwords && IsStopword(w, language)) continue;
        terms.insert(w);
        if (!language.empty())
            terms.insert(Stem(w, language));
        else
            for (const char* lang : {"en", "de", "es", "fr"}) terms.insert(Stem(w, lang));
    }
    return {terms.begin(), terms.end()};
}

KnowledgeService::KnowledgeService(db::Database& db, events::EventBus& bus, const Clock& clock,
                                   const identity::WorkspaceService& workspaces, const jobs::JobSettings& job_settings,
                                   KnowledgeSettings settings)
    : db_(db),
      bus_(bus),
      clock_(clock),
      workspaces_(workspaces),
      job_settings_(job_settings),
      settings_(settings),
      index_(search::OpenTextIndex(db.backend(), kChunkIndex)),
      patterns_(search::OpenTextIndex(db.backend(), kPatternIndex)),
      vectors_(std::make_unique<VectorStore>(VectorIndexSettings{.hnsw_threshold = settings.vector_exact_below},
                                             settings.vector_index_bytes)),
      term_counts_(std::make_unique<TermCounts>()),
      query_vectors_(std::make_unique<LruCache<QueryVector>>(std::size_t{4} << 20)) {}

KnowledgeService::~KnowledgeService() {
    if (subscription_) bus_.Unsubscribe(subscription_);
}

void KnowledgeService::RegisterJobs(jobs::Runner& runner) {
    runner.Register(kIngestJob, [this](jobs::Context& ctx) {
        IngestDocument(ctx, db_, *index_, embeddings_.get(), settings_, clock_);
    });
    runner.Register(kReembedJob, [this](jobs::Context& ctx) { ReembedWorkspace(ctx, db_, embeddings_.get()); });
    // An ingestion that failed for good (its handler threw, or its process kept dying) fails its document.
    subscription_ = bus_.Subscribe("job.failed", [this](const events::Event& e) {
        bool ours = std::any_of(e.fields.begin(), e.fields.end(),
                                [](const auto& f) { return f.first == "kind" && f.second == kIngestJob; });
        if (!ours) return;
        std::string error = "ingestion failed";
        for (const auto& [k, v] : e.fields)
            if (k == "error") error = "ingestion failed: " + v;
        try {
            db_.Write([&](db::Tx& tx) {
                tx.Exec(
                    "UPDATE knowledge_documents SET status = 'failed', error = :e, updated_at = :t WHERE id = :id "
                    "AND status IN ('queued', 'processing')",
                    {error, clock_.Now(), e.subject_id});
            });
        } catch (const std::exception&) {
            // Event handlers must not throw; the document stays as it was.
        }
    });
}

Result<Document> KnowledgeService::Create(const std::string& workspace_id, NewDocument d, const RequestMeta& meta) {
    d.title = std::string(Trim(d.title));
    if (auto ok = CheckNew(d, settings_); !ok.ok()) return ok.error();
    std::string mime(MimeOf(*ParseContentType(d.content_type)));
    auto doc = db::WriteAndPublish(db_, bus_, meta, [&](db::Tx& tx, db::PendingEvents& events) -> Result<Document> {
        if (auto r = workspaces_.Authorize(tx, meta.user_id, workspace_id, Role::kEditor); !r.ok()) return r.error();
        auto count =
            tx.QueryOne("SELECT COUNT(*) FROM knowledge_documents WHERE workspace_id = :w", {workspace_id})->Int(0);
        if (count >= static_cast<std::int64_t>(settings_.max_documents_per_workspace)) {
            Error e = Error::Make(ErrorCode::kLimitExceeded, "limit_exceeded",
                                  fmt::format("a workspace holds at most {} documents (max_documents_per_workspace)",
                                              settings_.max_documents_per_workspace));
            e.errors = {{"workspace", "max_documents_per_workspace"}};
            return e;
        }
        Micros now = clock_.Now();
        Document doc{NewId("doc"),
                     workspace_id,
                     d.title,
                     mime,
                     static_cast<std::int64_t>(d.content.size()),
                     DocumentStatus::kQueued,
                     "",
                     0,
                     now,
                     now,
                     meta.user_id};
        tx.Exec(
            "INSERT INTO knowledge_documents (id, workspace_id, title, content_type, content, size_bytes, status, "
            "created_at, created_by, updated_at) VALUES (:id, :w, :t, :ct, :c, :s, 'queued', :at, :by, :u)",
            {doc.id, workspace_id, doc.title, mime, db::Blob{d.content}, doc.size_bytes, now, meta.user_id, now});
        jobs::Enqueue(tx, {kIngestJob, workspace_id, doc.id, "", meta.request_id}, now, job_settings_);
        events.push_back({"knowledge.document_created", meta.request_id, workspace_id, doc.id, {}, now});
        return doc;
    });
    if (doc.ok() && notify_) notify_();
    return doc;
}

Result<Page<Document>> KnowledgeService::List(const std::string& workspace_id, int limit, const std::string& cursor,
                                              const RequestMeta& meta) const {
    limit = ClampLimit(limit);
    auto before = ParseCursor(cursor, true);
    if (!before.ok()) return before.error();
    return db_.Read([&](db::Tx& tx) -> Result<Page<Document>> {
        if (auto r = workspaces_.Authorize(tx, meta.user_id, workspace_id, Role::kViewer); !r.ok()) return r.error();
        auto rows = tx.Query(std::string("SELECT ") + kDocumentColumns +
                                 " FROM knowledge_documents WHERE workspace_id = :w AND (created_at < :t OR "
                                 "(created_at = :t2 AND id < :id)) ORDER BY created_at DESC, id DESC LIMIT :l",
                             {workspace_id, before->at, before->at, before->id, std::int64_t{limit + 1}});
        return MakePage<Document>(rows, limit, DocumentFromRow,
                                  [](const Document& d) { return std::make_pair(d.created_at, d.id); });
    });
}

Result<Document> KnowledgeService::Get(const std::string& workspace_id, const std::string& id,
                                       const RequestMeta& meta) const {
    return db_.Read([&](db::Tx& tx) -> Result<Document> {
        if (auto r = workspaces_.Authorize(tx, meta.user_id, workspace_id, Role::kViewer); !r.ok()) return r.error();
        auto doc = Load(tx, workspace_id, id);
        if (!doc) return Error::NotFound("document");
        return std::move(*doc);
    });
}

Result<void> KnowledgeService::Delete(const std::string& workspace_id, const std::string& id, const RequestMeta& meta) {
    return db::WriteAndPublish(db_, bus_, meta, [&](db::Tx& tx, db::PendingEvents& events) -> Result<void> {
        if (auto r = workspaces_.Authorize(tx, meta.user_id, workspace_id, Role::kEditor); !r.ok()) return r.error();
        if (!Load(tx, workspace_id, id)) return Error::NotFound("document");
        Micros now = clock_.Now();
        if (auto job = jobs::LatestFor(tx, id)) jobs::Cancel(tx, job->id, now, events);
        index_->RemoveGroup(tx, id);
        tx.Exec("DELETE FROM knowledge_chunks WHERE document_id = :d", {id});
        tx.Exec("DELETE FROM knowledge_documents WHERE id = :d", {id});
        BumpGeneration(tx, workspace_id);  // every process's vector index drops the document at its next search
        events.push_back({"knowledge.document_deleted", meta.request_id, workspace_id, id, {}, now});
        return Ok();
    });
}

}  // namespace uxf::knowledge
