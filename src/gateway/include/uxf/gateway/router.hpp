#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "uxf/core/context.hpp"
#include "uxf/core/result.hpp"
#include "uxf/gateway/http.hpp"

namespace uxf::gateway {

class IdempotentAnswer;

/// Where a handler runs: the general worker pool, or the small pool for password hashing, so a login flood
/// cannot take every worker.
enum class Pool { kDefault, kPasswords };

struct RouteOptions {
    bool auth = true;  ///< needs a valid access token
    Pool pool = Pool::kDefault;
    bool auth_limited = false;  ///< counts against the per-IP sign-in/sign-up bucket
    bool idempotent = false;    ///< a retried write: honours Idempotency-Key
    bool probe = false;         ///< health, readiness and metrics: load balancers poll them, so no rate limit
    /// Media types the route takes as raw bodies besides JSON (uploads); any other type is 415.
    std::vector<std::string> body_types = {};
};

/// What a handler gets: the request, who is calling, and the path parameters.
struct Ctx {
    const Request& req;
    RequestMeta meta;
    std::string session_id;  ///< the access token's session, when authenticated
    std::map<std::string, std::string> params;
    std::string route;                   ///< the route pattern, e.g. /v1/workspaces/{ws}
    IdempotentAnswer* answer = nullptr;  ///< set for a request under an Idempotency-Key (see Answer())

    const std::string& Param(const std::string& name) const { return params.at(name); }
    /// A problem+json response for `error`, with this request's path and id.
    Response Fail(const Error& error) const;
};

using Handler = std::function<Response(Ctx&)>;

struct Route {
    std::string method;
    std::string pattern;
    RouteOptions options;
    Handler handler;
    std::vector<std::string> segments;
};

/// Method + path pattern (`/v1/flows/{id}`) routing. Literal segments win over parameters.
class Router {
  public:
    void Add(std::string method, std::string pattern, RouteOptions options, Handler handler);

    struct Match {
        const Route* route = nullptr;
        std::map<std::string, std::string> params;
        std::vector<std::string> allowed;  ///< methods for the path when the method did not match
    };
    Match Find(const std::string& method, const std::string& path) const;
    const std::vector<Route>& routes() const { return routes_; }

  private:
    std::vector<Route> routes_;
};

}  // namespace uxf::gateway
