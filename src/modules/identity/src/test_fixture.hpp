// Test fixture shared by the identity tests: a fresh migrated database, a manual clock and fast hashing.
#pragma once
#include <gtest/gtest.h>

#include "uxf/core/clock.hpp"
#include "uxf/identity/auth_service.hpp"
#include "uxf/identity/migrations.hpp"
#include "uxf/identity/testing.hpp"
#include "uxf/identity/workspace_service.hpp"
#include "uxf/platform/crypto.hpp"
#include "uxf/platform/events.hpp"
#include "uxf/testing/test_database.hpp"

namespace uxf::identity {

class IdentityTest : public ::testing::Test {
  protected:
    IdentityTest() : clock_(1'800'000'000LL * kSecond) {
        db::Migrate(tdb_.db(), Migrations());
        bus_.Subscribe("", [this](const events::Event& e) { events_.push_back(e); });
    }

    AuthResult MustRegister(const std::string& email, const std::string& password = "correct horse battery",
                            const std::string& name = "Ada") {
        auto r = auth_.Register({email, password, name}, meta_);
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
        return r.value();
    }

    bool HasEvent(const std::string& name) const {
        for (const auto& e : events_)
            if (e.name == name) return true;
        return false;
    }

    uxf::testing::TestDatabase tdb_;
    ManualClock clock_;
    events::InProcessEventBus bus_;
    std::vector<events::Event> events_;
    IdentitySettings settings_ = testing::FastSettings();
    AuthService auth_{tdb_.db(), bus_, clock_, settings_};
    WorkspaceService workspaces_{tdb_.db(), bus_, clock_};
    RequestMeta meta_{"req_test", "10.0.0.1", "gtest", ""};
};

}  // namespace uxf::identity
