// (e) The HTTP request path up to the router: raw bytes from a connection through Beast's request parser (as
// server.cpp runs it: 16 KiB of headers, pipelined requests), target parsing (ParseTarget) and the real route
// table (the routes `uxflow serve` registers, on services over an unused in-memory SQLite database).
#include <cstring>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "uxf/core/clock.hpp"
#include "uxf/core/strings.hpp"
#include "uxf/flows/flow_service.hpp"
#include "uxf/gateway/routes.hpp"
#include "uxf/identity/auth_service.hpp"
#include "uxf/identity/workspace_service.hpp"
#include "uxf/platform/crypto.hpp"
#include "uxf/platform/database.hpp"
#include "uxf/platform/events.hpp"
#include "uxf/platform/graphviz.hpp"
#include "uxf/platform/metrics.hpp"

namespace {

namespace http = boost::beast::http;

// Every module's routes, registered as App registers them. Nothing here is ever called: only Find runs.
struct RealRoutes {
    RealRoutes()
        : db(uxf::db::OpenDatabase({"sqlite::memory:", 1})),
          auth(*db, bus, clock, Settings()),
          workspaces(*db, bus, clock),
          flows(*db, bus, clock, workspaces, graphviz, uxf::flows::FlowSettings{}) {
        uxf::gateway::AddServiceRoutes(router, {[] { return true; }, metrics});
        uxf::gateway::AddIdentityRoutes(router, auth, workspaces);
        uxf::gateway::AddFlowRoutes(router, flows);
    }
    static uxf::identity::IdentitySettings Settings() {
        uxf::identity::IdentitySettings s;
        s.jwt_secret = std::string(48, 'j');
        s.secret_key = uxf::crypto::SecretBox::NewKey();
        return s;
    }
    uxf::SystemClock clock;
    uxf::events::InProcessEventBus bus;
    uxf::metrics::Registry metrics;
    std::unique_ptr<uxf::db::Database> db;
    uxf::identity::AuthService auth;
    uxf::identity::WorkspaceService workspaces;
    uxf::render::Graphviz graphviz;
    uxf::flows::FlowService flows;
    uxf::gateway::Router router;
};

void Route(const RealRoutes& routes, http::request<http::string_body>& in) {
    uxf::gateway::Request r;
    r.method = std::string(in.method_string());
    r.target = std::string(in.target());
    for (const auto& field : in) r.headers.emplace_back(uxf::ToLower(field.name_string()), std::string(field.value()));
    r.body = std::move(in.body());
    if (!uxf::gateway::ParseTarget(r.target, r.path, r.query)) return;  // answered 400
    if (r.path.empty() || r.path.front() != '/' || r.path.find('\0') != std::string::npos) __builtin_trap();
    auto match = routes.router.Find(r.method, r.path);
    if (match.route) {
        if (match.route->method != r.method && !(r.method == "HEAD" && match.route->method == "GET")) __builtin_trap();
        for (const auto& [name, value] : match.params)
            if (value.empty() || value.find('/') != std::string::npos) __builtin_trap();
    }
    r.Header("authorization");
    r.Query("format");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static RealRoutes routes;
    if (size == 0) return 0;
    boost::beast::flat_buffer buffer;
    auto copy = buffer.prepare(size);
    std::memcpy(copy.data(), data, size);
    buffer.commit(size);
    // Up to 16 pipelined requests, as the server reads them.
    for (int i = 0; i < 16 && buffer.size() > 0; ++i) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(1 << 20);
        parser.header_limit(16 * 1024);
        parser.eager(true);
        boost::beast::error_code ec;
        while (!parser.is_done()) {
            std::size_t used = parser.put(buffer.data(), ec);
            buffer.consume(used);
            if (ec || used == 0) break;
        }
        if (!parser.is_done()) break;  // malformed (400) or incomplete
        auto req = parser.release();
        Route(routes, req);
    }
    return 0;
}
