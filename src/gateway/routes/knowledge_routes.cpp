#include <charconv>

#include "../idempotent_answer.hpp"
#include "../json_io.hpp"
#include "knowledge_json.hpp"
#include "uxf/gateway/routes.hpp"
#include "uxf/knowledge/knowledge_service.hpp"

namespace uxf::gateway {
namespace {

using knowledge::SearchMode;

// The raw media types a document upload may have (the JSON form names its type in `content_type`).
const std::vector<std::string> kUploadTypes = {"text/plain", "text/markdown",         "text/x-markdown",
                                               "text/html",  "application/xhtml+xml", "application/pdf"};

Result<knowledge::SearchQuery> SearchParams(const Request& req) {
    knowledge::SearchQuery q;
    q.q = req.Query("q");
    q.document_id = req.Query("document_id");
    std::vector<FieldError> errors;
    std::string k = req.Query("k", "10");
    std::size_t n = 0;
    auto [p, ec] = std::from_chars(k.data(), k.data() + k.size(), n);
    if (ec != std::errc() || p != k.data() + k.size() || n < 1)
        errors.push_back({"k", "must be a positive integer"});
    else
        q.k = n;
    std::string mode = req.Query("mode", "hybrid");
    if (mode == "hybrid")
        q.mode = SearchMode::kHybrid;
    else if (mode == "vector")
        q.mode = SearchMode::kVector;
    else if (mode == "keyword")
        q.mode = SearchMode::kKeyword;
    else
        errors.push_back({"mode", "must be hybrid, vector or keyword"});
    if (q.q.size() > 1000) errors.push_back({"q", "at most 1000 bytes"});
    if (!errors.empty()) return Error::Invalid("bad search", errors);
    return q;
}

}  // namespace

void AddKnowledgeRoutes(Router& r, knowledge::KnowledgeService& svc) {
    const std::string documents = "/v1/workspaces/{ws}/knowledge/documents";
    r.Add("POST", documents, {.idempotent = true, .body_types = kUploadTypes}, [&svc](Ctx& ctx) {
        knowledge::NewDocument doc;
        std::string type = MediaType(ctx.req.Header("Content-Type"));
        if (type != "application/json" && !type.empty()) {  // an upload: the body is the document
            doc = {ctx.req.Query("title"), type, ctx.req.body};
        } else {
            auto obj = ParseObject(ctx.req);
            if (!obj.ok()) return ctx.Fail(obj.error());
            Fields f(*obj);
            std::string title = f.Str("title", true, 4096);
            std::string content = f.Str("content", true, ctx.req.body.size());
            std::string content_type = f.Str("content_type", false, 64);
            if (auto ok = f.Check(); !ok.ok()) return ctx.Fail(ok.error());
            doc = {title, content_type.empty() ? "text/plain" : content_type, content};
        }
        return Answer<knowledge::Document>(
            ctx, [&](const RequestMeta& meta) { return svc.Create(ctx.Param("ws"), std::move(doc), meta); },
            [&ctx](const knowledge::Document& d, bool) {
                Response resp{201, "application/json", DocumentJson(d), {}};
                resp.SetHeader("Location", "/v1/workspaces/" + d.workspace_id + "/knowledge/documents/" + d.id);
                return resp;
            });
    });
    r.Add("GET", documents, {}, [&svc](Ctx& ctx) {
        auto limit = LimitParam(ctx.req);
        if (!limit.ok()) return ctx.Fail(limit.error());
        auto page = svc.List(ctx.Param("ws"), *limit, ctx.req.Query("cursor"), ctx.meta);
        if (!page.ok()) return ctx.Fail(page.error());
        return PageResponse(*page, DocumentJson);
    });
    r.Add("GET", documents + "/{id}", {}, [&svc](Ctx& ctx) {
        auto d = svc.Get(ctx.Param("ws"), ctx.Param("id"), ctx.meta);
        return d.ok() ? Response{200, "application/json", DocumentJson(*d), {}} : ctx.Fail(d.error());
    });
    r.Add("DELETE", documents + "/{id}", {},
          [&svc](Ctx& ctx) { return ReplyEmpty(ctx, svc.Delete(ctx.Param("ws"), ctx.Param("id"), ctx.meta)); });
    r.Add("GET", "/v1/workspaces/{ws}/knowledge/search", {}, [&svc](Ctx& ctx) {
        auto q = SearchParams(ctx.req);
        if (!q.ok()) return ctx.Fail(q.error());
        auto hits = svc.Search(ctx.Param("ws"), *q, ctx.meta);
        return hits.ok() ? Response{200, "application/json", SearchHitsJson(*hits), {}} : ctx.Fail(hits.error());
    });
}

}  // namespace uxf::gateway
