#pragma once
#include <memory>

#include "uxf/gateway/settings.hpp"

namespace uxf::gateway {

class Dispatcher;

/// The HTTP/1.1 server (Boost.Beast, one coroutine per connection on its own strand, the I/O context run by
/// `workers` threads). A request is handled on the thread that parsed it; password hashing on its own pool;
/// keep-alive; pipelined requests already received are read ahead up to `max_pipeline`, handled concurrently on a
/// worker pool and answered in order; read and idle timeouts, body limit (413), and graceful shutdown.
class Server {
  public:
    Server(Dispatcher& dispatcher, const GatewaySettings& settings);
    ~Server();
    /// Binds and starts serving on background threads. Throws when the address cannot be bound.
    void Start();
    /// The bound port (useful with port 0).
    unsigned short port() const;
    /// Graceful stop: refuse new connections, let in-flight requests finish (up to the grace period), close.
    void Stop();
    /// Stops on SIGINT or SIGTERM.
    void StopOnSignals();
    /// Blocks until the server has stopped.
    void Wait();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace uxf::gateway
