#pragma once
#include <optional>
#include <string>
#include <vector>

#include "uxf/core/clock.hpp"
#include "uxf/platform/database.hpp"

namespace uxf::idempotency {

/// A stored answer to replay.
struct StoredResponse {
    int status = 0;
    std::string content_type;
    std::string headers;  ///< "name: value" lines
    std::string body;
};

/// What a request with an Idempotency-Key should do.
struct Claim {
    enum class Outcome { kProceed, kReplay, kReused, kRunning };
    Outcome outcome = Outcome::kProceed;
    StoredResponse response;  ///< for kReplay
};

/// Idempotency keys in the database, so every instance sees them. A key is scoped (per user or client) and
/// bound to a fingerprint of the request; it lives 24 hours. A claim left `running` by a crashed process is
/// taken over after a minute.
class Store {
  public:
    Store(db::Database& db, const Clock& clock);
    Claim Begin(const std::string& scope, const std::string& key, const std::string& fingerprint);
    void Finish(const std::string& scope, const std::string& key, const StoredResponse& response);
    /// Stores the answer inside the caller's transaction: the write it answers and the answer commit together.
    void Finish(db::Tx& tx, const std::string& scope, const std::string& key, const StoredResponse& response);
    /// Forgets a claim whose request failed on our side (5xx), so a retry runs again.
    void Abandon(const std::string& scope, const std::string& key);

  private:
    db::Database& db_;
    const Clock& clock_;
};

}  // namespace uxf::idempotency
