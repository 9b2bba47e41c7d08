#include <algorithm>

#include <spdlog/spdlog.h>

#include "uxf/platform/events.hpp"

namespace uxf::events {

void InProcessEventBus::Publish(const Event& event) {
    std::vector<std::shared_ptr<Handler>> targets;
    {
        std::lock_guard lock(mu_);
        for (const auto& s : subs_)
            if (event.name.starts_with(s.prefix)) targets.push_back(s.handler);
    }
    for (const auto& h : targets) {
        try {
            (*h)(event);
        } catch (const std::exception& e) {
            spdlog::error("event handler for {} threw: {}", event.name, e.what());
        }
    }
}

std::uint64_t InProcessEventBus::Subscribe(std::string prefix, Handler handler) {
    std::lock_guard lock(mu_);
    std::uint64_t id = next_id_++;
    subs_.push_back({id, std::move(prefix), std::make_shared<Handler>(std::move(handler))});
    return id;
}

void InProcessEventBus::Unsubscribe(std::uint64_t id) {
    std::lock_guard lock(mu_);
    std::erase_if(subs_, [&](const Sub& s) { return s.id == id; });
}

}  // namespace uxf::events
