#pragma once
// Test seam of crypto.hpp's PasswordHasher, for tests only (production code never includes this header).
#include <functional>
#include <string_view>

namespace uxf::crypto {

/// When set, `observer` is called on the hashing thread as every Argon2id hash (`phc` empty) or verification
/// (`phc`: the string verified against) of any PasswordHasher begins. Tests count and compare the work with it
/// (an unknown e-mail must cost the same verification as a wrong password) or hold a hash in flight. One per
/// process; pass nullptr to remove it.
enum class HashWork { kHash, kVerify };
void SetPasswordHashObserver(std::function<void(HashWork work, std::string_view phc)> observer);

}  // namespace uxf::crypto
