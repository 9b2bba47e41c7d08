#pragma once
#include <functional>

#include "uxf/core/clock.hpp"
#include "uxf/platform/mail.hpp"

namespace uxf::db {
class Database;
}

namespace uxf::identity {

/// Delivers queued mails (password resets ...) at least once, retrying with growing delays.
class MailOutbox {
  public:
    using Deliver = std::function<void(const mail::Message&)>;  ///< throws when delivery fails
    MailOutbox(db::Database& db, const Clock& clock);
    /// Sends up to `limit` due mails; returns how many were delivered.
    int DeliverDue(const Deliver& deliver, int limit = 20);

  private:
    db::Database& db_;
    const Clock& clock_;
};

}  // namespace uxf::identity
