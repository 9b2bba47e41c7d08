// What the knowledge benchmarks stand on: a database migrated for identity, the platform and knowledge, an event
// bus, and identity's services with fast password hashing (an account is made, not attacked).
#pragma once
#include <string>

#include "uxf/identity/auth_service.hpp"
#include "uxf/identity/migrations.hpp"
#include "uxf/identity/workspace_service.hpp"
#include "uxf/knowledge/migrations.hpp"
#include "uxf/platform/crypto.hpp"
#include "uxf/platform/events.hpp"
#include "uxf/platform/jobs.hpp"

namespace uxf::bench {

inline identity::IdentitySettings FastIdentitySettings() {
    identity::IdentitySettings s;
    s.jwt_secret = std::string(40, 'r');
    s.secret_key = crypto::SecretBox::NewKey();
    s.hashing = {.ops_limit = 1, .mem_limit_bytes = 8 * 1024};
    return s;
}

struct KnowledgeFixture {
    explicit KnowledgeFixture(db::Database& database) : db(database) {
        db::Migrate(db, identity::Migrations());
        db::Migrate(db, db::PlatformMigrations());
        db::Migrate(db, knowledge::Migrations());
    }
    db::Database& db;
    SystemClock clock;
    events::InProcessEventBus bus;
    identity::AuthService auth{db, bus, clock, FastIdentitySettings()};
    identity::WorkspaceService workspaces{db, bus, clock};
};

}  // namespace uxf::bench
