#include "uxf/billing/ledger.hpp"

#include <map>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "uxf/core/ids.hpp"
#include "uxf/identity/audit.hpp"
#include "uxf/identity/workspace_service.hpp"
#include "uxf/platform/database.hpp"

namespace uxf::billing {
namespace {

constexpr const char* kEntryColumns =
    "id, workspace_id, seq, delta, balance_after, reason, reference, actor, created_at";
constexpr const char* kHoldColumns = "id, workspace_id, reference, amount, status, created_at, expires_at, settled_at";

LedgerEntry EntryFromRow(const db::Row& r) {
    return {r.Str(0), r.Str(1), r.Int(2), r.Int(3), r.Int(4), r.Str(5), r.Str(6), r.Str(7), r.Int(8)};
}

HoldStatus ParseStatus(const std::string& s) {
    for (auto st : {HoldStatus::kHeld, HoldStatus::kCaptured, HoldStatus::kReleased})
        if (StatusName(st) == s) return st;
    throw std::runtime_error("billing: unknown hold status " + s);
}

Hold HoldFromRow(const db::Row& r) {
    return {r.Str(0), r.Str(1), r.Str(2), r.Int(3), ParseStatus(r.Str(4)), r.Int(5), r.Int(6), r.OptInt(7)};
}

std::optional<Hold> LoadHold(db::Tx& tx, const std::string& id) {
    auto r = tx.QueryOne(std::string("SELECT ") + kHoldColumns + " FROM billing_holds WHERE id = :id", {id});
    if (!r) return std::nullopt;
    return HoldFromRow(*r);
}

// Adds `delta` to the workspace's balance unless that would take it below zero (nullopt then), and appends the
// entry with the next seq. The conditional update holds the account's row until the transaction ends, so
// concurrent changes of one workspace apply one after the other, each seeing the balance the one before left.
std::optional<LedgerEntry> Apply(db::Tx& tx, const std::string& workspace_id, std::int64_t delta,
                                 const std::string& reason, const std::string& reference, const std::string& actor,
                                 Micros now) {
    auto update = [&] {
        return tx.QueryOne(
            "UPDATE billing_accounts SET balance = balance + :d, entries = entries + 1, updated_at = :t WHERE "
            "workspace_id = :w AND balance + :d2 >= 0 RETURNING balance, entries",
            {delta, now, workspace_id, delta});
    };
    auto row = update();
    // The account is made on its first credit (a debit of an account that does not exist cannot go through).
    if (!row && delta > 0) {
        tx.Exec(
            "INSERT INTO billing_accounts (workspace_id, balance, entries, created_at, updated_at) VALUES (:w, 0, 0, "
            ":t, :t2) ON CONFLICT (workspace_id) DO NOTHING",
            {workspace_id, now, now});
        row = update();
    }
    if (!row) return std::nullopt;
    LedgerEntry e{NewId("led"), workspace_id, row->Int(1), delta, row->Int(0), reason, reference, actor, now};
    tx.Exec(std::string("INSERT INTO billing_ledger (") + kEntryColumns +
                ") VALUES (:id, :w, :s, :d, :b, :r, :ref, :a, :t)",
            {e.id, e.workspace_id, e.seq, e.delta, e.balance_after, e.reason, e.reference, e.actor, e.created_at});
    return e;
}

// Releases the hold when it is still held (a conditional update: of two releases or a release and a capture, one
// wins) and gives its credits back; nullopt when it was not held.
std::optional<Hold> ReleaseHeld(db::Tx& tx, const std::string& hold_id, const std::string& actor, Micros now) {
    auto r = tx.QueryOne(std::string("UPDATE billing_holds SET status = 'released', settled_at = :t WHERE id = :id "
                                     "AND status = 'held' RETURNING ") +
                             kHoldColumns,
                         {now, hold_id});
    if (!r) return std::nullopt;
    Hold hold = HoldFromRow(*r);
    Apply(tx, hold.workspace_id, hold.amount, "release", hold.id, actor, now);  // positive: always applies
    return hold;
}

Error HoldSettled(const Hold& h) {
    return Error::Make(ErrorCode::kConflict, "hold_settled",
                       fmt::format("the hold was already {}", StatusName(h.status)));
}

}  // namespace

std::string_view StatusName(HoldStatus s) {
    switch (s) {
        case HoldStatus::kHeld:
            return "held";
        case HoldStatus::kCaptured:
            return "captured";
        case HoldStatus::kReleased:
            return "released";
    }
    return "held";
}

Ledger::Ledger(db::Database& db, const Clock& clock, LedgerSettings settings)
    : db_(db), clock_(clock), settings_(settings) {}

Result<Hold> Ledger::Reserve(db::Tx& tx, const std::string& workspace_id, std::int64_t amount,
                             const std::string& reference, const std::string& actor) const {
    if (amount <= 0) return Error::Invalid("bad reservation", {{"amount", "must be a positive number of credits"}});
    Micros now = clock_.Now();
    Hold hold{NewId("hold"), workspace_id, reference, amount, HoldStatus::kHeld, now, now + settings_.hold_timeout, {}};
    if (!Apply(tx, workspace_id, -amount, "reserve", hold.id, actor, now)) {
        std::int64_t balance = Balance(tx, workspace_id);
        Error e = Error::Make(ErrorCode::kPaymentRequired, "insufficient_credits",
                              fmt::format("this needs {} credits and the workspace has {}", amount, balance));
        e.numbers = {{"balance", balance}, {"required", amount}};
        return e;
    }
    tx.Exec(
        std::string("INSERT INTO billing_holds (") + kHoldColumns + ") VALUES (:id, :w, :r, :a, 'held', :c, :e, NULL)",
        {hold.id, workspace_id, reference, amount, now, hold.expires_at});
    return hold;
}

Result<Hold> Ledger::Capture(db::Tx& tx, const std::string& hold_id) const {
    Micros now = clock_.Now();
    if (auto r = tx.QueryOne(std::string("UPDATE billing_holds SET status = 'captured', settled_at = :t WHERE id = "
                                         ":id AND status = 'held' RETURNING ") +
                                 kHoldColumns,
                             {now, hold_id}))
        return HoldFromRow(*r);
    auto hold = LoadHold(tx, hold_id);
    if (!hold) return Error::NotFound("hold");
    if (hold->status == HoldStatus::kCaptured) return *hold;  // captured before: once only
    return HoldSettled(*hold);
}

Result<Hold> Ledger::Release(db::Tx& tx, const std::string& hold_id, const std::string& actor) const {
    if (auto released = ReleaseHeld(tx, hold_id, actor, clock_.Now())) return *released;
    auto hold = LoadHold(tx, hold_id);
    if (!hold) return Error::NotFound("hold");
    if (hold->status == HoldStatus::kReleased) return *hold;
    return HoldSettled(*hold);
}

Result<LedgerEntry> Ledger::Grant(db::Tx& tx, const std::string& workspace_id, std::int64_t amount,
                                  const std::string& reason, const std::string& reference,
                                  const std::string& actor) const {
    if (amount <= 0) return Error::Invalid("bad grant", {{"amount", "must be a positive number of credits"}});
    if (reason.empty() || reason == "reserve" || reason == "release")
        return Error::Invalid("bad grant", {{"reason", "must name why the credits are given"}});
    // The grant's key first: of two transactions granting the same thing, the second waits for the first and then
    // finds the key taken (PostgreSQL), or runs after it (SQLite's single writer).
    std::string entry_id = NewId("led");
    auto claimed = tx.QueryOne(
        "INSERT INTO billing_grants (workspace_id, reason, reference, entry_id) VALUES (:w, :r, :ref, :e) ON "
        "CONFLICT (workspace_id, reason, reference) DO NOTHING RETURNING entry_id",
        {workspace_id, reason, reference, entry_id});
    if (!claimed) {
        auto existing = tx.QueryOne(std::string("SELECT ") + kEntryColumns +
                                        " FROM billing_ledger WHERE id = (SELECT entry_id FROM billing_grants WHERE "
                                        "workspace_id = :w AND reason = :r AND reference = :ref)",
                                    {workspace_id, reason, reference});
        if (!existing) throw std::runtime_error("billing: a grant without its ledger entry");
        return EntryFromRow(*existing);
    }
    auto entry = Apply(tx, workspace_id, amount, reason, reference, actor, clock_.Now());
    tx.Exec("UPDATE billing_grants SET entry_id = :e WHERE workspace_id = :w AND reason = :r AND reference = :ref",
            {entry->id, workspace_id, reason, reference});
    return *entry;
}

std::int64_t Ledger::Balance(db::Tx& tx, const std::string& workspace_id) const {
    auto r = tx.QueryOne("SELECT balance FROM billing_accounts WHERE workspace_id = :w", {workspace_id});
    return r ? r->Int(0) : 0;
}

Result<Page<LedgerEntry>> Ledger::Entries(db::Tx& tx, const std::string& workspace_id, int limit,
                                          const std::string& cursor) const {
    limit = ClampLimit(limit);
    auto before = ParseCursor(cursor, true);
    if (!before.ok()) return before.error();
    auto rows = tx.Query(std::string("SELECT ") + kEntryColumns +
                             " FROM billing_ledger WHERE workspace_id = :w AND seq < :s ORDER BY seq DESC LIMIT :l",
                         {workspace_id, before->at, std::int64_t{limit + 1}});
    return MakePage<LedgerEntry>(rows, limit, EntryFromRow,
                                 [](const LedgerEntry& e) { return std::make_pair(e.seq, e.id); });
}

Result<Hold> Ledger::Reserve(const std::string& workspace_id, std::int64_t amount, const std::string& reference,
                             const std::string& actor) {
    return db_.Write([&](db::Tx& tx) { return Reserve(tx, workspace_id, amount, reference, actor); });
}

Result<Hold> Ledger::Capture(const std::string& hold_id) {
    return db_.Write([&](db::Tx& tx) { return Capture(tx, hold_id); });
}

Result<Hold> Ledger::Release(const std::string& hold_id, const std::string& actor) {
    return db_.Write([&](db::Tx& tx) { return Release(tx, hold_id, actor); });
}

Result<LedgerEntry> Ledger::Grant(const std::string& workspace_id, std::int64_t amount, const std::string& reason,
                                  const std::string& reference, const std::string& actor) {
    return db_.Write([&](db::Tx& tx) { return Grant(tx, workspace_id, amount, reason, reference, actor); });
}

std::int64_t Ledger::Balance(const std::string& workspace_id) {
    return db_.Read([&](db::Tx& tx) { return Balance(tx, workspace_id); });
}

std::size_t Ledger::ReleaseExpired() {
    auto due = db_.Read([&](db::Tx& tx) {
        return tx.Query("SELECT id FROM billing_holds WHERE status = 'held' AND expires_at < :n ORDER BY expires_at",
                        {clock_.Now()});
    });
    std::size_t released = 0;
    for (const auto& r : due) {
        std::string id = r.Str(0);
        // Conditional on the hold still being held: a capture or another sweep that came first wins.
        released += db_.Write([&](db::Tx& tx) { return ReleaseHeld(tx, id, "system", clock_.Now()).has_value(); });
    }
    return released;
}

Result<Page<LedgerEntry>> Ledger::EntriesFor(const identity::WorkspaceService& workspaces,
                                             const std::string& workspace_id, int limit, const std::string& cursor,
                                             const RequestMeta& meta) {
    return db_.Read([&](db::Tx& tx) -> Result<Page<LedgerEntry>> {
        if (auto r = workspaces.Authorize(tx, meta.user_id, workspace_id, identity::Role::kAdmin); !r.ok())
            return r.error();
        return Entries(tx, workspace_id, limit, cursor);
    });
}

Result<LedgerEntry> Ledger::GrantByOperator(const identity::WorkspaceService& workspaces,
                                            const std::string& workspace_id, std::int64_t amount,
                                            const std::string& reason, const RequestMeta& meta) {
    if (reason.empty()) return Error::Invalid("bad grant", {{"reason", "is required"}});
    return db_.Write([&](db::Tx& tx) -> Result<LedgerEntry> {
        if (!workspaces.Exists(tx, workspace_id)) return Error::NotFound("workspace");
        auto entry = Grant(tx, workspace_id, amount, "admin: " + reason, NewId("grant"), meta.user_id);
        if (!entry.ok()) return entry;
        identity::WriteAudit(tx,
                             {"", workspace_id, "", meta.user_id, "billing.credits_granted", "", "",
                              fmt::format("{} credits: {}", amount, reason), meta.request_id, 0},
                             meta, clock_.Now());
        return entry;
    });
}

std::vector<std::string> Ledger::Verify() {
    return db_.Read([&](db::Tx& tx) {
        std::map<std::string, std::pair<std::int64_t, std::int64_t>> accounts;  // balance, entries
        for (const auto& r : tx.Query("SELECT workspace_id, balance, entries FROM billing_accounts"))
            accounts[r.Str(0)] = {r.Int(1), r.Int(2)};
        std::map<std::string, std::int64_t> last_balance, last_seq;
        std::set<std::string> bad;
        for (const auto& r : tx.Query(
                 "SELECT workspace_id, seq, delta, balance_after FROM billing_ledger ORDER BY workspace_id, seq")) {
            std::string ws = r.Str(0);
            std::int64_t seq = r.Int(1), delta = r.Int(2), after = r.Int(3);
            if (seq != last_seq[ws] + 1 || last_balance[ws] + delta != after || after < 0) bad.insert(ws);
            last_seq[ws] = seq;
            last_balance[ws] = after;
        }
        for (const auto& [ws, account] : accounts)
            if (account.first != last_balance[ws] || account.second != last_seq[ws] || account.first < 0)
                bad.insert(ws);
        for (const auto& [ws, seq] : last_seq)
            if (!accounts.contains(ws)) bad.insert(ws);
        return std::vector<std::string>(bad.begin(), bad.end());
    });
}

}  // namespace uxf::billing
