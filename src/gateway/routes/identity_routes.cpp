#include <boost/json.hpp>

#include "../idempotent_answer.hpp"
#include "../json_io.hpp"
#include "identity_json.hpp"
#include "uxf/gateway/routes.hpp"
#include "uxf/identity/auth_service.hpp"
#include "uxf/identity/workspace_service.hpp"

namespace uxf::gateway {
namespace {

namespace json = boost::json;
using identity::Role;

template <class T>
Response Reply(Ctx& ctx, const Result<T>& r, int status = 200) {
    if (!r.ok()) return ctx.Fail(r.error());
    return JsonResponse(status, ToJson(*r));
}

Result<Role> RoleField(const std::string& name) {
    auto role = identity::ParseRole(name);
    if (!role) return Error::Invalid("bad role", {{"role", "must be one of owner, admin, editor, viewer"}});
    return *role;
}

void AddAuthRoutes(Router& r, identity::AuthService& auth) {
    RouteOptions open{.auth = false, .pool = Pool::kPasswords, .auth_limited = true};
    r.Add("POST", "/v1/auth/register", open, [&auth](Ctx& ctx) {
        return WithBody(
            ctx,
            [](Fields& f) {
                return identity::RegisterCommand{f.Str("email", true, 320), f.Str("password", true, 1024),
                                                 f.Str("name", true, 400)};
            },
            [&](const identity::RegisterCommand& cmd) {
                auto result = auth.Register(cmd, ctx.meta);
                Response resp = Reply(ctx, result, 201);
                if (result.ok()) resp.SetHeader("Location", "/v1/me");
                return resp;
            });
    });
    r.Add("POST", "/v1/auth/login", open, [&auth](Ctx& ctx) {
        return WithBody(
            ctx,
            [](Fields& f) {
                return identity::LoginCommand{f.Str("email", true, 320), f.Str("password", true, 1024),
                                              f.Str("totp_code", false, 16), f.Str("recovery_code", false, 32)};
            },
            [&](const identity::LoginCommand& cmd) { return Reply(ctx, auth.Login(cmd, ctx.meta)); });
    });
    RouteOptions token_route{.auth = false, .auth_limited = true};
    r.Add("POST", "/v1/auth/refresh", token_route, [&auth](Ctx& ctx) {
        return WithBody(
            ctx, [](Fields& f) { return f.Str("refresh_token", true, 256); },
            [&](const std::string& token) { return Reply(ctx, auth.Refresh(token, ctx.meta)); });
    });
    r.Add("POST", "/v1/auth/logout", {.auth = false}, [&auth](Ctx& ctx) {
        return WithBody(
            ctx, [](Fields& f) { return f.Str("refresh_token", true, 256); },
            [&](const std::string& token) { return ReplyEmpty(ctx, auth.Logout(token, ctx.meta)); });
    });
    r.Add("POST", "/v1/auth/password/forgot", token_route, [&auth](Ctx& ctx) {
        return WithBody(
            ctx, [](Fields& f) { return f.Str("email", true, 320); },
            [&](const std::string& email) {
                auto result = auth.ForgotPassword(email, ctx.meta);
                if (!result.ok()) return ctx.Fail(result.error());
                return JsonResponse(202, json::object{{"status", "accepted"}});
            });
    });
    r.Add("POST", "/v1/auth/password/reset", open, [&auth](Ctx& ctx) {
        return WithBody(
            ctx, [](Fields& f) { return std::make_pair(f.Str("token", true, 256), f.Str("password", true, 1024)); },
            [&](const std::pair<std::string, std::string>& p) {
                return ReplyEmpty(ctx, auth.ResetPassword(p.first, p.second, ctx.meta));
            });
    });
    r.Add("GET", "/v1/auth/sessions", {}, [&auth](Ctx& ctx) {
        auto sessions = auth.ListSessions(ctx.meta.user_id, ctx.session_id);
        if (!sessions.ok()) return ctx.Fail(sessions.error());
        return ListResponse(*sessions, "", kItemJson);  // every session of the user: one page
    });
    r.Add("DELETE", "/v1/auth/sessions/{id}", {}, [&auth](Ctx& ctx) {
        return ReplyEmpty(ctx, auth.RevokeSession(ctx.meta.user_id, ctx.Param("id"), ctx.meta));
    });
    r.Add("POST", "/v1/auth/2fa/setup", {}, [&auth](Ctx& ctx) {
        auto setup = auth.Setup2fa(ctx.meta.user_id, ctx.meta);
        if (!setup.ok()) return ctx.Fail(setup.error());
        return JsonResponse(200, json::object{{"secret", setup->secret}, {"otpauth_uri", setup->otpauth_uri}});
    });
    r.Add("POST", "/v1/auth/2fa/enable", {}, [&auth](Ctx& ctx) {
        return WithBody(
            ctx, [](Fields& f) { return f.Str("code", true, 16); },
            [&](const std::string& code) {
                auto codes = auth.Enable2fa(ctx.meta.user_id, code, ctx.meta);
                if (!codes.ok()) return ctx.Fail(codes.error());
                json::array list;
                for (const auto& c : *codes) list.push_back(json::value(c));
                return JsonResponse(200, json::object{{"recovery_codes", std::move(list)}});
            });
    });
    r.Add("POST", "/v1/auth/2fa/disable", {.pool = Pool::kPasswords}, [&auth](Ctx& ctx) {
        return WithBody(
            ctx, [](Fields& f) { return std::make_pair(f.Str("password", true, 1024), f.Str("code", true, 16)); },
            [&](const std::pair<std::string, std::string>& p) {
                return ReplyEmpty(ctx, auth.Disable2fa(ctx.meta.user_id, p.first, p.second, ctx.meta));
            });
    });
}

void AddWorkspaceRoutes(Router& r, identity::AuthService& auth, identity::WorkspaceService& ws) {
    r.Add("GET", "/v1/me", {}, [&auth](Ctx& ctx) {
        auto me = auth.Me(ctx.meta.user_id);
        if (!me.ok()) return ctx.Fail(me.error());
        json::array list;
        for (const auto& w : me->workspaces) list.push_back(ToJson(w));
        return JsonResponse(200, json::object{{"user", ToJson(me->user)}, {"workspaces", std::move(list)}});
    });
    r.Add("GET", "/v1/workspaces", {}, [&ws](Ctx& ctx) {
        auto limit = LimitParam(ctx.req);
        if (!limit.ok()) return ctx.Fail(limit.error());
        auto page = ws.List(ctx.meta.user_id, *limit, ctx.req.Query("cursor"));
        if (!page.ok()) return ctx.Fail(page.error());
        return PageResponse(*page, kItemJson);
    });
    r.Add("POST", "/v1/workspaces", {.idempotent = true}, [&ws](Ctx& ctx) {
        return WithBody(
            ctx, [](Fields& f) { return f.Str("name", true, 400); },
            [&](const std::string& name) {
                return Answer<identity::Workspace>(
                    ctx, [&](const RequestMeta& meta) { return ws.Create(ctx.meta.user_id, name, meta); },
                    [](const identity::Workspace& created, bool) {
                        Response resp = JsonResponse(201, ToJson(created));
                        resp.SetHeader("Location", "/v1/workspaces/" + created.id);
                        return resp;
                    });
            });
    });
    r.Add("GET", "/v1/workspaces/{ws}", {},
          [&ws](Ctx& ctx) { return Reply(ctx, ws.Get(ctx.meta.user_id, ctx.Param("ws"))); });
    r.Add("GET", "/v1/workspaces/{ws}/members", {}, [&ws](Ctx& ctx) {
        auto limit = LimitParam(ctx.req);
        if (!limit.ok()) return ctx.Fail(limit.error());
        auto page = ws.Members(ctx.meta.user_id, ctx.Param("ws"), *limit, ctx.req.Query("cursor"));
        if (!page.ok()) return ctx.Fail(page.error());
        return PageResponse(*page, kItemJson);
    });
    r.Add("POST", "/v1/workspaces/{ws}/members", {.idempotent = true}, [&ws](Ctx& ctx) {
        return WithBody(
            ctx, [](Fields& f) { return std::make_pair(f.Str("email", true, 320), f.Str("role", true, 16)); },
            [&](const std::pair<std::string, std::string>& p) {
                auto role = RoleField(p.second);
                if (!role.ok()) return ctx.Fail(role.error());
                return Answer<identity::Member>(
                    ctx,
                    [&](const RequestMeta& meta) {
                        return ws.AddMember(ctx.meta.user_id, ctx.Param("ws"), p.first, *role, meta);
                    },
                    [](const identity::Member& m, bool) { return JsonResponse(201, ToJson(m)); });
            });
    });
    r.Add("PATCH", "/v1/workspaces/{ws}/members/{user_id}", {}, [&ws](Ctx& ctx) {
        return WithBody(
            ctx, [](Fields& f) { return f.Str("role", true, 16); },
            [&](const std::string& name) {
                auto role = RoleField(name);
                if (!role.ok()) return ctx.Fail(role.error());
                return Reply(ctx,
                             ws.ChangeRole(ctx.meta.user_id, ctx.Param("ws"), ctx.Param("user_id"), *role, ctx.meta));
            });
    });
    r.Add("DELETE", "/v1/workspaces/{ws}/members/{user_id}", {}, [&ws](Ctx& ctx) {
        return ReplyEmpty(ctx, ws.RemoveMember(ctx.meta.user_id, ctx.Param("ws"), ctx.Param("user_id"), ctx.meta));
    });
    r.Add("GET", "/v1/workspaces/{ws}/audit-log", {}, [&ws](Ctx& ctx) {
        auto limit = LimitParam(ctx.req);
        if (!limit.ok()) return ctx.Fail(limit.error());
        auto page = ws.AuditLog(ctx.meta.user_id, ctx.Param("ws"), *limit, ctx.req.Query("cursor"));
        if (!page.ok()) return ctx.Fail(page.error());
        return PageResponse(*page, kItemJson);
    });
}

}  // namespace

void AddIdentityRoutes(Router& router, identity::AuthService& auth, identity::WorkspaceService& workspaces) {
    AddAuthRoutes(router, auth);
    AddWorkspaceRoutes(router, auth, workspaces);
}

}  // namespace uxf::gateway
