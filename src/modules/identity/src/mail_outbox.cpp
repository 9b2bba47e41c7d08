#include "uxf/identity/mail_outbox.hpp"

#include <spdlog/spdlog.h>

#include "uxf/platform/database.hpp"

namespace uxf::identity {

MailOutbox::MailOutbox(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

int MailOutbox::DeliverDue(const Deliver& deliver, int limit) {
    Micros now = clock_.Now();
    auto due = db_.Read([&](db::Tx& tx) {
        return tx.Query(
            "SELECT id, recipient, subject, body, attempts FROM mail_outbox WHERE sent_at IS NULL AND "
            "next_attempt_at <= :t AND attempts < 20 ORDER BY next_attempt_at LIMIT :l",
            {now, std::int64_t{limit}});
    });
    int sent = 0;
    for (const auto& r : due) {
        std::string id = r.Str(0);
        std::int64_t attempts = r.Int(4) + 1;
        // Claim the mail first, so two processes do not both send it; a crash after the claim retries later.
        Micros retry_at = now + std::min<Micros>(kSecond * 30 * attempts * attempts, kHour);
        bool claimed = db_.Write([&](db::Tx& tx) {
            return tx.Exec(
                       "UPDATE mail_outbox SET attempts = :a, next_attempt_at = :n WHERE id = :id AND "
                       "sent_at IS NULL AND attempts = :prev",
                       {attempts, retry_at, id, attempts - 1}) == 1;
        });
        if (!claimed) continue;
        try {
            deliver({r.Str(1), r.Str(2), r.Str(3)});
            db_.Write([&](db::Tx& tx) {
                tx.Exec("UPDATE mail_outbox SET sent_at = :t, last_error = NULL WHERE id = :id", {clock_.Now(), id});
            });
            ++sent;
        } catch (const std::exception& e) {
            spdlog::warn("mail {} not delivered (attempt {}): {}", id, attempts, e.what());
            db_.Write([&](db::Tx& tx) {
                tx.Exec("UPDATE mail_outbox SET last_error = :e WHERE id = :id", {std::string(e.what()), id});
            });
        }
    }
    return sent;
}

}  // namespace uxf::identity
