#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "uxf/core/clock.hpp"

namespace uxf::events {

/// Something that happened, published after the transaction that made it committed.
struct Event {
    std::string name;            ///< `user.registered`, `auth.login_failed`, `flow.updated` ...
    std::string correlation_id;  ///< the request id that caused it
    std::string workspace_id;    ///< empty when not about a workspace
    std::string subject_id;      ///< the user, flow ... the event is about
    std::vector<std::pair<std::string, std::string>> fields;
    Micros at = 0;
};

using Handler = std::function<void(const Event&)>;

/// The events port: publish/subscribe. In-process now; Redis across processes later.
class EventBus {
  public:
    virtual ~EventBus() = default;
    virtual void Publish(const Event& event) = 0;
    /// Calls `handler` for every event whose name starts with `prefix` ("" for all). Returns a subscription id.
    virtual std::uint64_t Subscribe(std::string prefix, Handler handler) = 0;
    virtual void Unsubscribe(std::uint64_t id) = 0;
};

/// Delivers synchronously on the publisher's thread; handlers must be quick and must not throw.
class InProcessEventBus final : public EventBus {
  public:
    void Publish(const Event& event) override;
    std::uint64_t Subscribe(std::string prefix, Handler handler) override;
    void Unsubscribe(std::uint64_t id) override;

  private:
    struct Sub {
        std::uint64_t id;
        std::string prefix;
        std::shared_ptr<Handler> handler;
    };
    std::mutex mu_;
    std::vector<Sub> subs_;
    std::uint64_t next_id_ = 1;
};

}  // namespace uxf::events
