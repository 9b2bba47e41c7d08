// AI generation over HTTP (docs/api.md, AI generation and chat): generations and their quotes, the conversation
// about a flow, proposals, feedback, and the providers with workspaces' own keys.
#include <algorithm>
#include <atomic>
#include <memory>

#include <boost/json.hpp>

#include "../idempotent_answer.hpp"
#include "../json_io.hpp"
#include "uxf/ai/generation_service.hpp"
#include "uxf/core/clock.hpp"
#include "uxf/flows/flow_json.hpp"
#include "uxf/gateway/routes.hpp"
#include "uxf/platform/json_text.hpp"

namespace uxf::gateway {
namespace {

namespace json = boost::json;

json::value Time(const std::optional<Micros>& t) { return t ? json::value(FormatRfc3339(*t)) : json::value(nullptr); }

json::value Int(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::value Embedded(const std::string& text) {
    if (text.empty()) return nullptr;
    boost::system::error_code ec;
    auto v = json_text::Parse(text, ec);
    return ec ? json::value(nullptr) : v;
}

json::object GenerationObject(const ai::Generation& g) {
    json::array diagnostics;
    for (const auto& d : g.diagnostics) diagnostics.push_back(json::object{{"code", d.code}, {"message", d.message}});
    json::value error = nullptr;
    if (!g.error_code.empty()) error = json::object{{"code", g.error_code}, {"message", g.error}};
    return {{"id", g.id},
            {"workspace_id", g.workspace_id},
            {"kind", g.kind},
            {"mode", g.mode},
            {"status", std::string(ai::StatusName(g.status))},
            {"prompt", g.prompt},
            {"locale", g.locale.empty() ? json::value(nullptr) : json::value(g.locale)},
            {"provider", g.provider},
            {"model", g.model},
            {"use_knowledge", g.use_knowledge},
            {"flow_id", g.flow_id.empty() ? json::value(nullptr) : json::value(g.flow_id)},
            {"version", Int(g.version)},
            {"base_version", Int(g.base_version)},
            {"applied_version", Int(g.applied_version)},
            {"credits", g.credits},
            {"credits_charged", g.credits_charged},
            {"summary", g.summary},
            {"ops", Embedded(g.ops_json)},
            {"preview", Embedded(g.preview_json)},
            {"diagnostics", std::move(diagnostics)},
            {"error", std::move(error)},
            {"usage", {{"input_tokens", g.input_tokens}, {"output_tokens", g.output_tokens}}},
            {"repairs", g.repairs},
            {"rating", g.rating ? json::value(*g.rating) : json::value(nullptr)},
            {"created_by", g.created_by},
            {"created_at", FormatRfc3339(g.created_at)},
            {"started_at", Time(g.started_at)},
            {"finished_at", Time(g.finished_at)}};
}

Response GenerationResponse(int status, const ai::Generation& g) {
    Response r = JsonResponse(status, GenerationObject(g));
    if (status == 202) r.headers.push_back({"Location", "/v1/generations/" + g.id});
    return r;
}

bool WantsWait(const Request& req) {
    auto w = req.Query("wait");
    return w == "true" || w == "1";
}

// Requests waiting for a generation hold a handler thread each: at most `limit` at once, so waiting clients can
// never take every thread; the others get their answer at once.
struct Waiters {
    std::atomic<std::size_t> now{0};
    std::size_t limit = 1;
    bool Enter() {
        if (now.fetch_add(1) < limit) return true;
        --now;
        return false;
    }
    void Leave() { --now; }
};

Result<ai::Generation> WaitFor(ai::GenerationService& svc, Waiters& waiters, const std::string& id,
                               const RequestMeta& meta) {
    if (!waiters.Enter()) return svc.Get(id, meta);
    auto done = svc.Wait(id, svc.settings().wait_timeout, meta);
    waiters.Leave();
    return done;
}

// A started generation: 202 as queued, or with ?wait=true 200 once it is final (202 when the wait ran out).
template <class Call>
Response Started(Ctx& ctx, ai::GenerationService& svc, Waiters& waiters, Call call) {
    auto answer =
        Answer<ai::Generation>(ctx, call, [](const ai::Generation& g, bool) { return GenerationResponse(202, g); });
    if (answer.status != 202 || !WantsWait(ctx.req)) return answer;
    boost::system::error_code ec;
    auto body = json_text::Parse(answer.Body(), ec);
    if (ec) return answer;
    auto done = WaitFor(svc, waiters, std::string(body.at("id").as_string()), ctx.meta);
    if (!done.ok()) return ctx.Fail(done.error());
    return GenerationResponse(done->Final() ? 200 : 202, *done);
}

std::optional<bool> BoolField(const json::object& o, const char* name, std::vector<FieldError>& errors) {
    auto* v = o.if_contains(name);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_bool()) {
        errors.push_back({name, "must be true or false"});
        return std::nullopt;
    }
    return v->get_bool();
}

}  // namespace

void AddAiRoutes(Router& r, ai::GenerationService& svc, std::size_t max_waiting) {
    auto waiters = std::make_shared<Waiters>();  // shared by the routes that wait, alive as long as they are
    waiters->limit = std::max<std::size_t>(1, max_waiting);
    r.Add("POST", "/v1/workspaces/{ws}/generations", {.idempotent = true}, [&svc, waiters](Ctx& ctx) {
        auto obj = ParseObject(ctx.req);
        if (!obj.ok()) return ctx.Fail(obj.error());
        Fields f(*obj);
        ai::NewGeneration req;
        req.prompt = f.Str("prompt", true, 100'000);
        req.locale = f.Str("locale", false, 8);
        req.provider = f.Str("provider", false, 64);
        std::string flow_id = f.Str("flow_id", false, 64);
        std::vector<FieldError> extra;
        req.use_knowledge = BoolField(*obj, "use_knowledge", extra).value_or(true);
        if (auto ok = f.Check(); !ok.ok()) return ctx.Fail(ok.error());
        if (!extra.empty()) return ctx.Fail(Error::Invalid("bad generation", std::move(extra)));
        std::string ws = ctx.Param("ws");
        return Started(ctx, svc, *waiters, [&](const RequestMeta& meta) -> Result<ai::Generation> {
            if (flow_id.empty()) return svc.Start(ws, req, meta);
            return svc.Send(flow_id, req.prompt, "apply", req.provider, meta);
        });
    });
    r.Add("POST", "/v1/workspaces/{ws}/generations/quote", {}, [&svc](Ctx& ctx) {
        struct Body {
            std::string prompt, provider;
        };
        return WithBody(
            ctx,
            [](Fields& f) {
                return Body{f.Str("prompt", true, 100'000), f.Str("provider", false, 64)};
            },
            [&](const Body& b) {
                auto q = svc.QuoteFor(ctx.Param("ws"), b.prompt, b.provider, ctx.meta);
                if (!q.ok()) return ctx.Fail(q.error());
                return JsonResponse(
                    200, json::object{{"credits", q->credits}, {"provider", q->provider}, {"model", q->model}});
            });
    });
    r.Add("GET", "/v1/generations/{id}", {}, [&svc, waiters](Ctx& ctx) {
        auto g =
            WantsWait(ctx.req) ? WaitFor(svc, *waiters, ctx.Param("id"), ctx.meta) : svc.Get(ctx.Param("id"), ctx.meta);
        if (!g.ok()) return ctx.Fail(g.error());
        return GenerationResponse(200, *g);
    });
    r.Add("POST", "/v1/generations/{id}/cancel", {.idempotent = true}, [&svc](Ctx& ctx) {
        return Answer<ai::Generation>(
            ctx, [&](const RequestMeta& meta) { return svc.Cancel(ctx.Param("id"), meta); },
            [](const ai::Generation& g, bool) { return GenerationResponse(200, g); });
    });
    r.Add("POST", "/v1/generations/{id}/apply", {.idempotent = true}, [&svc](Ctx& ctx) {
        return Answer<flows::Flow>(
            ctx, [&](const RequestMeta& meta) { return svc.Apply(ctx.Param("id"), meta); },
            [](const flows::Flow& f, bool) {
                Response resp{200, "application/json", flows::FlowToJson(f), {}};
                resp.headers.push_back({"ETag", "\"" + std::to_string(f.version) + "\""});
                return resp;
            });
    });
    r.Add("POST", "/v1/generations/{id}/feedback", {}, [&svc](Ctx& ctx) {
        struct Body {
            std::optional<std::int64_t> rating;
            std::string comment;
        };
        return WithBody(
            ctx,
            [](Fields& f) {
                return Body{f.Int("rating", true), f.Str("comment", false, 4000)};
            },
            [&](const Body& b) {
                return ReplyEmpty(
                    ctx, svc.Feedback(ctx.Param("id"), static_cast<int>(b.rating.value_or(0)), b.comment, ctx.meta));
            });
    });
    r.Add("POST", "/v1/flows/{id}/messages", {.idempotent = true}, [&svc, waiters](Ctx& ctx) {
        struct Body {
            std::string text, mode, provider;
        };
        auto obj = ParseObject(ctx.req);
        if (!obj.ok()) return ctx.Fail(obj.error());
        Fields f(*obj);
        Body b{f.Str("text", true, 100'000), f.Str("mode", false, 16), f.Str("provider", false, 64)};
        if (auto ok = f.Check(); !ok.ok()) return ctx.Fail(ok.error());
        if (b.mode.empty()) b.mode = "apply";
        return Started(ctx, svc, *waiters, [&](const RequestMeta& meta) {
            return svc.Send(ctx.Param("id"), b.text, b.mode, b.provider, meta);
        });
    });
    r.Add("GET", "/v1/flows/{id}/messages", {}, [&svc](Ctx& ctx) {
        auto items = svc.Conversation(ctx.Param("id"), ctx.meta);
        if (!items.ok()) return ctx.Fail(items.error());
        return ListResponse(*items, "", [](const ai::ConversationItem& m) {
            return json_text::Write(json::object{
                {"id", m.id},
                {"flow_id", m.flow_id},
                {"role", m.role},
                {"text", m.text},
                {"generation_id", m.generation_id},
                {"generation", m.generation ? json::value(GenerationObject(*m.generation)) : json::value(nullptr)},
                {"created_by", m.created_by},
                {"created_at", FormatRfc3339(m.created_at)}});
        });
    });
    r.Add("GET", "/v1/ai/providers", {}, [&svc](Ctx& ctx) {
        auto list = svc.Providers(ctx.req.Query("workspace_id"), ctx.meta);
        if (!list.ok()) return ctx.Fail(list.error());
        json::array providers;
        std::string def;
        for (const auto& p : *list) {
            if (p.is_default) def = p.name;
            providers.push_back(json::object{{"name", p.name},
                                             {"model", p.model},
                                             {"configured", p.configured},
                                             {"default", p.is_default},
                                             {"workspace_key", p.workspace_key},
                                             {"credits", p.credits}});
        }
        return JsonResponse(200, json::object{{"providers", std::move(providers)}, {"default", def}});
    });
    r.Add("PUT", "/v1/workspaces/{ws}/ai/providers/{provider}", {}, [&svc](Ctx& ctx) {
        return WithBody(
            ctx,
            [](Fields& f) {
                ai::ProviderSettings s;
                s.api_key = f.Str("api_key", false, 1000);
                s.model = f.Str("model", false, 200);
                s.base_url = f.Str("base_url", false, 1000);
                return s;
            },
            [&](const ai::ProviderSettings& s) {
                return ReplyEmpty(ctx, svc.SetWorkspaceKey(ctx.Param("ws"), ctx.Param("provider"), s, ctx.meta));
            });
    });
    r.Add("DELETE", "/v1/workspaces/{ws}/ai/providers/{provider}", {}, [&svc](Ctx& ctx) {
        return ReplyEmpty(ctx, svc.DeleteWorkspaceKey(ctx.Param("ws"), ctx.Param("provider"), ctx.meta));
    });
}

}  // namespace uxf::gateway
