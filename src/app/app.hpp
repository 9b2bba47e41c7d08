#pragma once
#include <memory>

#include "config.hpp"

namespace uxf::billing {
class Ledger;
}
namespace uxf::identity {
class AuthService;
class WorkspaceService;
}  // namespace uxf::identity

namespace uxf::ai {
class GenerationService;
}
namespace uxf::render {
class Graphviz;
}

namespace uxf::app {

/// The composition root: the only place that names concrete adapters. Opens and migrates the database,
/// builds the modules, the router and the HTTP server, and runs the background mail delivery.
class App {
  public:
    explicit App(Config config);
    ~App();
    void Start();
    unsigned short port() const;
    void StopOnSignals();
    void Stop();
    void Wait();
    identity::AuthService& auth();
    billing::Ledger& ledger();
    identity::WorkspaceService& workspaces();
    ai::GenerationService& generations();
    render::Graphviz& graphviz();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Opens the configured database and applies every module's migrations; returns how many ran.
int MigrateDatabase(const Config& config);

}  // namespace uxf::app
