#pragma once
#include <string>

#include "uxf/identity/settings.hpp"
#include "uxf/platform/crypto.hpp"

namespace uxf::identity::testing {

/// Settings for tests of code built on identity: a fixed-size secret, a fresh key, and cheap hashing (the
/// tests are about logic; the production cost is tested in the platform's crypto tests).
inline IdentitySettings FastSettings() {
    IdentitySettings s;
    s.jwt_secret = std::string(40, 't');
    s.secret_key = crypto::SecretBox::NewKey();
    s.hashing = {.ops_limit = 1, .mem_limit_bytes = 8 * 1024};
    return s;
}

}  // namespace uxf::identity::testing
