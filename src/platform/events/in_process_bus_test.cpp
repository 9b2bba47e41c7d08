#include <gtest/gtest.h>

#include "uxf/platform/events.hpp"

namespace uxf::events {
namespace {

TEST(InProcessEventBus, DeliversByPrefixUntilUnsubscribed) {
    InProcessEventBus bus;
    std::vector<std::string> auth, all;
    auto a = bus.Subscribe("auth.", [&](const Event& e) { auth.push_back(e.name + "/" + e.correlation_id); });
    bus.Subscribe("", [&](const Event& e) { all.push_back(e.name); });
    bus.Subscribe("", [](const Event&) { throw std::runtime_error("a bad handler does not stop others"); });
    bus.Publish({.name = "auth.login_failed", .correlation_id = "req1"});
    bus.Publish({.name = "user.registered"});
    bus.Unsubscribe(a);
    bus.Publish({.name = "auth.locked"});
    EXPECT_EQ(auth, std::vector<std::string>{"auth.login_failed/req1"});
    EXPECT_EQ(all, (std::vector<std::string>{"auth.login_failed", "user.registered", "auth.locked"}));
}

}  // namespace
}  // namespace uxf::events
