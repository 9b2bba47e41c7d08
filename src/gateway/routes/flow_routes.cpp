#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>

#include <boost/json.hpp>

#include "../idempotent_answer.hpp"
#include "../json_io.hpp"
#include "flow_json.hpp"
#include "patterns.hpp"
#include "uxf/core/strings.hpp"
#include "uxf/flows/flow_json.hpp"
#include "uxf/flows/flow_service.hpp"
#include "uxf/flows/ops.hpp"
#include "uxf/gateway/errors.hpp"
#include "uxf/gateway/routes.hpp"
#include "uxf/platform/json_text.hpp"

namespace uxf::gateway {
namespace {

namespace json = boost::json;

std::string ETag(std::int64_t version) { return "\"" + std::to_string(version) + "\""; }

// A flow version's document. Versions are immutable: clients may keep it and revalidate with If-None-Match.
// A flow document answer; `shared`, when given, is the encoded version from the service's cache (sent uncopied).
Response DocumentResponse(std::int64_t version, std::string body, int status = 200,
                          std::shared_ptr<const flows::ExportFile> shared = nullptr) {
    Response r{status, "application/json", std::move(body), {}};
    if (shared) r.shared_body = std::shared_ptr<const std::string>(shared, &shared->body);
    r.SetHeader("ETag", ETag(version));
    r.SetHeader("Cache-Control", "private, no-cache");
    return r;
}

// The answer to a write that returns the flow. Before commit (an idempotent answer being stored) the document is
// encoded afresh; after, it goes through the service's cache, where the next GET finds it.
auto FlowAnswer(const flows::FlowService& svc, int status = 200, bool location = false) {
    return [&svc, status, location](const flows::Flow& f, bool committed) {
        Response r = committed ? DocumentResponse(f.version, "", status, svc.DocumentOf(f))
                               : DocumentResponse(f.version, flows::FlowToJson(f), status);
        if (location) r.SetHeader("Location", "/v1/flows/" + f.id);
        return r;
    };
}

// If-None-Match: "3", W/"3", a list of them, or *.
std::function<bool(std::int64_t)> IfNoneMatch(const Request& req) {
    std::string_view v = req.Header("If-None-Match");
    if (v.empty()) return nullptr;
    std::vector<std::string> tags;
    while (!v.empty()) {
        auto comma = v.find(',');
        std::string_view tag = v.substr(0, comma);
        v = comma == std::string_view::npos ? std::string_view{} : v.substr(comma + 1);
        while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
        while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
        if (tag.starts_with("W/")) tag.remove_prefix(2);
        tags.emplace_back(tag);
    }
    return [tags = std::move(tags)](std::int64_t version) {
        std::string mine = ETag(version);
        return std::any_of(tags.begin(), tags.end(), [&](const std::string& t) { return t == "*" || t == mine; });
    };
}

Response GetDocument(const flows::FlowService& svc, Ctx& ctx, std::optional<std::int64_t> version) {
    auto doc = svc.GetDocument(ctx.Param("id"), version, IfNoneMatch(ctx.req), ctx.meta);
    if (!doc.ok()) return ctx.Fail(doc.error());
    if (!doc->file) {
        Response r = DocumentResponse(doc->version, "", 304);
        r.content_type.clear();
        return r;
    }
    return DocumentResponse(doc->version, "", 200, std::move(doc->file));
}

Result<std::int64_t> VersionParam(const std::string& text, const char* field) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size() || v < 1)
        return Error::Invalid("bad version", {{field, "must be a positive integer"}});
    return v;
}

// If-Match: "3", W/"3" or 3; * (RFC 9110: any current version) gives nullopt. Missing: 428; not a version: 400.
Result<std::optional<std::int64_t>> IfMatch(const Request& req) {
    std::string v(Trim(req.Header("If-Match")));
    if (v.empty())
        return Error::Make(ErrorCode::kPreconditionRequired, "if_match_required",
                           "send If-Match with the version you edited (the ETag of GET)");
    if (v == "*") return std::optional<std::int64_t>();
    if (v.starts_with("W/")) v = v.substr(2);
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    auto version = VersionParam(v, "If-Match");
    if (!version.ok()) return version.error();
    return std::optional<std::int64_t>(*version);
}

Response BatchResponse(const Ctx& ctx, const std::vector<flows::FlowService::BatchResult>& results) {
    json::array list;
    for (const auto& r : results) {
        json::object item{{"index", r.index}};
        if (r.error) {
            item["status"] = StatusFor(r.error->code);
            Response problem = ctx.Fail(*r.error);
            item["error"] = json::parse(problem.body);
        } else {
            item["status"] = r.kind == flows::BatchOp::Kind::kCreate   ? 201
                             : r.kind == flows::BatchOp::Kind::kUpdate ? 200
                                                                       : 204;
        }
        if (!r.flow_id.empty()) item["flow_id"] = r.flow_id;
        if (r.version) item["version"] = r.version;
        list.push_back(std::move(item));
    }
    return JsonResponse(200, json::object{{"results", std::move(list)}});
}

}  // namespace

void AddFlowRoutes(Router& r, flows::FlowService& svc) {
    r.Add("POST", "/v1/workspaces/{ws}/flows", {.idempotent = true}, [&svc](Ctx& ctx) {
        auto draft = flows::ParseFlowDocument(ctx.req.body, svc.settings());
        if (!draft.ok()) return ctx.Fail(draft.error());
        return Answer<flows::Flow>(
            ctx,
            [&](const RequestMeta& meta) {
                return svc.Create(ctx.Param("ws"), std::move(*draft), flows::Source::kApi, meta);
            },
            FlowAnswer(svc, 201, true));
    });
    r.Add("POST", "/v1/workspaces/{ws}/flows/import", {.idempotent = true}, [&svc](Ctx& ctx) {
        struct ImportBody {
            std::string format, content, name;
        };
        return WithBody(
            ctx,
            [&](Fields& f) {
                return ImportBody{f.Str("format", true, 16), f.Str("content", true, ctx.req.body.size()),
                                  f.Str("name", false, svc.settings().max_name_chars * 4)};
            },
            [&](const ImportBody& b) {
                return Answer<flows::Flow>(
                    ctx,
                    [&](const RequestMeta& meta) {
                        return svc.Import(ctx.Param("ws"), b.format, b.content, b.name, meta);
                    },
                    FlowAnswer(svc, 201, true));
            });
    });
    r.Add("POST", "/v1/workspaces/{ws}/flows/from-pattern", {.idempotent = true}, [&svc](Ctx& ctx) {
        struct FromPattern {
            std::string pattern_id, locale, name;
        };
        return WithBody(
            ctx,
            [&](Fields& f) {
                return FromPattern{f.Str("pattern_id", true, 100), f.Str("locale", false, 8),
                                   f.Str("name", false, svc.settings().max_name_chars * 4)};
            },
            [&](const FromPattern& b) {
                auto locale = PatternLocale(b.locale);
                if (!locale.ok()) return ctx.Fail(locale.error());
                const knowledge::Pattern* p = knowledge::FindPattern(b.pattern_id);
                if (!p) {
                    Error e = Error::NotFound("pattern");
                    e.errors = {{"pattern_id", "no pattern has this id (GET /v1/patterns lists them)"}};
                    return ctx.Fail(e);
                }
                auto draft = DraftFromPattern(*p, *locale, b.name);
                if (!draft.ok()) return ctx.Fail(draft.error());
                return Answer<flows::Flow>(
                    ctx,
                    [&](const RequestMeta& meta) {
                        return svc.Create(ctx.Param("ws"), std::move(*draft), flows::Source::kImport, meta);
                    },
                    FlowAnswer(svc, 201, true));
            });
    });
    r.Add("POST", "/v1/workspaces/{ws}/flows/batch", {.idempotent = true}, [&svc](Ctx& ctx) {
        auto batch = ReadBatchBody(ctx.req.body, svc.settings());
        if (!batch.ok()) return ctx.Fail(batch.error());
        using Results = std::vector<flows::FlowService::BatchResult>;
        return Answer<Results>(
            ctx, [&](const RequestMeta& meta) { return svc.Batch(ctx.Param("ws"), std::move(*batch), meta); },
            [&ctx](const Results& results, bool) { return BatchResponse(ctx, results); });
    });
    r.Add("GET", "/v1/workspaces/{ws}/flows", {}, [&svc](Ctx& ctx) {
        auto limit = LimitParam(ctx.req);
        if (!limit.ok()) return ctx.Fail(limit.error());
        auto page = svc.List(ctx.Param("ws"), ctx.req.Query("q"), *limit, ctx.req.Query("cursor"), ctx.meta);
        if (!page.ok()) return ctx.Fail(page.error());
        return PageResponse(*page, SummaryJson);
    });
    r.Add("GET", "/v1/flows/{id}", {}, [&svc](Ctx& ctx) { return GetDocument(svc, ctx, std::nullopt); });
    r.Add("PUT", "/v1/flows/{id}", {}, [&svc](Ctx& ctx) {
        auto expected = IfMatch(ctx.req);
        if (!expected.ok()) return ctx.Fail(expected.error());
        auto draft = flows::ParseFlowDocument(ctx.req.body, svc.settings());
        if (!draft.ok()) return ctx.Fail(draft.error());
        return Answer<flows::Flow>(
            ctx,
            [&](const RequestMeta& meta) {
                return svc.Replace(ctx.Param("id"), *expected, std::move(*draft), flows::Source::kApi, meta);
            },
            FlowAnswer(svc));
    });
    r.Add("POST", "/v1/flows/{id}/ops", {.idempotent = true}, [&svc](Ctx& ctx) {
        auto ops = ReadOpsBody(ctx.req.body, svc.settings());
        if (!ops.ok()) return ctx.Fail(ops.error());
        return Answer<flows::Flow>(
            ctx, [&](const RequestMeta& meta) { return svc.Apply(ctx.Param("id"), *ops, flows::Source::kApi, meta); },
            FlowAnswer(svc));
    });
    r.Add("DELETE", "/v1/flows/{id}", {},
          [&svc](Ctx& ctx) { return ReplyEmpty(ctx, svc.Delete(ctx.Param("id"), ctx.meta)); });
    r.Add("POST", "/v1/flows/{id}/restore", {.idempotent = true}, [&svc](Ctx& ctx) {
        return Answer<flows::Flow>(
            ctx, [&](const RequestMeta& meta) { return svc.Undelete(ctx.Param("id"), meta); }, FlowAnswer(svc));
    });
    r.Add("GET", "/v1/flows/{id}/versions", {}, [&svc](Ctx& ctx) {
        auto limit = LimitParam(ctx.req);
        if (!limit.ok()) return ctx.Fail(limit.error());
        auto page = svc.Versions(ctx.Param("id"), *limit, ctx.req.Query("cursor"), ctx.meta);
        if (!page.ok()) return ctx.Fail(page.error());
        return PageResponse(*page, VersionJson);
    });
    r.Add("GET", "/v1/flows/{id}/versions/{n}", {}, [&svc](Ctx& ctx) {
        auto n = VersionParam(ctx.Param("n"), "n");
        if (!n.ok()) return ctx.Fail(n.error());
        return GetDocument(svc, ctx, *n);
    });
    r.Add("POST", "/v1/flows/{id}/layout", {.idempotent = true}, [&svc](Ctx& ctx) {
        return WithBody(
            ctx, [](Fields& f) { return f.Str("direction", false, 8); },
            [&](const std::string& direction) {
                return Answer<flows::Flow>(
                    ctx,
                    [&](const RequestMeta& meta) {
                        return svc.Layout(ctx.Param("id"), direction.empty() ? "LR" : direction, meta);
                    },
                    FlowAnswer(svc));
            });
    });
    r.Add("GET", "/v1/flows/{id}/export", {}, [&svc](Ctx& ctx) {
        auto file = svc.Export(ctx.Param("id"), ctx.req.Query("format", "json"), ctx.meta);
        if (!file.ok()) return ctx.Fail(file.error());
        Response resp{200, file->content_type, std::move(file->body), {}};
        resp.SetHeader("Content-Disposition", "attachment; filename=\"" + file->filename + "\"");
        return resp;
    });
    r.Add("GET", "/v1/flows/{id}/validate", {}, [&svc](Ctx& ctx) {
        auto d = svc.ValidateFlow(ctx.Param("id"), ctx.meta);
        return d.ok() ? Response{200, "application/json", DiagnosticsJson(*d), {}} : ctx.Fail(d.error());
    });
    r.Add("GET", "/v1/flows/{id}/analytics", {}, [&svc](Ctx& ctx) {
        auto a = svc.AnalyzeFlow(ctx.Param("id"), ctx.meta);
        return a.ok() ? Response{200, "application/json", AnalyticsJson(*a), {}} : ctx.Fail(a.error());
    });
    r.Add("GET", "/v1/flows/{id}/diff", {}, [&svc](Ctx& ctx) {
        auto from = VersionParam(ctx.req.Query("from"), "from");
        auto to = VersionParam(ctx.req.Query("to"), "to");
        if (!from.ok()) return ctx.Fail(from.error());
        if (!to.ok()) return ctx.Fail(to.error());
        auto d = svc.DiffVersions(ctx.Param("id"), *from, *to, ctx.meta);
        return d.ok() ? Response{200, "application/json", DiffJson(*d), {}} : ctx.Fail(d.error());
    });
    r.Add("POST", "/v1/flows/{id}/versions/{n}/restore", {.idempotent = true}, [&svc](Ctx& ctx) {
        auto n = VersionParam(ctx.Param("n"), "n");
        if (!n.ok()) return ctx.Fail(n.error());
        return Answer<flows::Flow>(
            ctx, [&](const RequestMeta& meta) { return svc.RestoreVersion(ctx.Param("id"), *n, meta); },
            FlowAnswer(svc));
    });
}

}  // namespace uxf::gateway
