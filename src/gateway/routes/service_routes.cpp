#include <boost/json.hpp>

#include "../json_io.hpp"
#include "uxf/core/embedded.hpp"
#include "uxf/gateway/routes.hpp"
#include "uxf/platform/metrics.hpp"

namespace uxf::gateway::openapi {
std::span<const EmbeddedFile> EmbeddedFiles();
}

namespace uxf::gateway {

std::string_view OpenApiDocument() { return openapi::EmbeddedFiles().front().content; }

void AddServiceRoutes(Router& r, ServiceDeps deps) {
    RouteOptions open{.auth = false};
    RouteOptions probe{.auth = false, .probe = true};
    r.Add("GET", "/healthz", probe, [](Ctx&) { return JsonResponse(200, boost::json::object{{"status", "ok"}}); });
    r.Add("GET", "/readyz", probe, [ready = deps.ready](Ctx& ctx) {
        if (ready()) return JsonResponse(200, boost::json::object{{"status", "ready"}});
        Response resp = ctx.Fail(Error::Make(ErrorCode::kUnavailable, "not_ready", "the database does not answer"));
        resp.SetHeader("Retry-After", "5");
        return resp;
    });
    r.Add("GET", "/metrics", probe, [&m = deps.metrics](Ctx&) {
        return Response{200, "text/plain; version=0.0.4; charset=utf-8", m.Render(), {}};
    });
    r.Add("GET", "/v1/openapi.json", open, [](Ctx&) {
        Response resp{200, "application/json", std::string(OpenApiDocument()), {}};
        resp.SetHeader("Cache-Control", "public, max-age=300");
        return resp;
    });
}

}  // namespace uxf::gateway
