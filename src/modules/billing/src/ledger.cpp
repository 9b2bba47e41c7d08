#include "uxf/billing/ledger.hpp"

#include <algorithm>
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
constexpr const char* kHoldColumns =
    "id, workspace_id, reference, amount, status, created_at, expires_at, settled_at, from_allowance, allowance_period";

LedgerEntry EntryFromRow(const db::Row& r) {
    return {r.Str(0), r.Str(1), r.Int(2), r.Int(3), r.Int(4), r.Str(5), r.Str(6), r.Str(7), r.Int(8)};
}

HoldStatus ParseStatus(const std::string& s) {
    for (auto st : {HoldStatus::kHeld, HoldStatus::kCaptured, HoldStatus::kReleased})
        if (StatusName(st) == s) return st;
    throw std::runtime_error("billing: unknown hold status " + s);
}

Hold HoldFromRow(const db::Row& r) {
    return {r.Str(0), r.Str(1), r.Str(2),    r.Int(3), ParseStatus(r.Str(4)),
            r.Int(5), r.Int(6), r.OptInt(7), r.Int(8), r.Str(9)};
}

std::optional<Hold> LoadHold(db::Tx& tx, const std::string& id) {
    auto r = tx.QueryOne(std::string("SELECT ") + kHoldColumns + " FROM billing_holds WHERE id = :id", {id});
    if (!r) return std::nullopt;
    return HoldFromRow(*r);
}

struct Account {
    std::int64_t balance = 0, entries = 0, allowance = 0;
    std::string period;  ///< of the allowance
};

// Locks the workspace's account until the transaction ends and reads it: a write that changes nothing (portable:
// SQLite has no FOR UPDATE, and runs one writer at a time anyway). Concurrent changes of one workspace so apply
// one after the other, each seeing what the one before left (PostgreSQL's READ COMMITTED re-reads a row it waited
// for). Makes the account when `create` and there is none.
std::optional<Account> LockAccount(db::Tx& tx, const std::string& workspace_id, Micros now, bool create) {
    auto lock = [&] {
        return tx.QueryOne(
            "UPDATE billing_accounts SET updated_at = :t WHERE workspace_id = :w RETURNING balance, entries, "
            "allowance, allowance_period",
            {now, workspace_id});
    };
    auto row = lock();
    if (!row && create) {
        tx.Exec(
            "INSERT INTO billing_accounts (workspace_id, balance, entries, created_at, updated_at) VALUES (:w, 0, 0, "
            ":t, :t2) ON CONFLICT (workspace_id) DO NOTHING",
            {workspace_id, now, now});
        row = lock();
    }
    if (!row) return std::nullopt;
    return Account{row->Int(0), row->Int(1), row->Int(2), row->Str(3)};
}

// Appends the entry that changes the locked account's balance by `delta`, of which `allowance_delta` is allowance.
// The CHECKs of the table refuse a negative balance or allowance, should a caller get it wrong.
LedgerEntry Append(db::Tx& tx, const std::string& workspace_id, Account& account, std::int64_t delta,
                   std::int64_t allowance_delta, const std::string& reason, const std::string& reference,
                   const std::string& actor, Micros now) {
    account.balance += delta;
    account.allowance += allowance_delta;
    account.entries += 1;
    tx.Exec(
        "UPDATE billing_accounts SET balance = :b, entries = :e, allowance = :a, allowance_period = :p WHERE "
        "workspace_id = :w",
        {account.balance, account.entries, account.allowance, account.period, workspace_id});
    LedgerEntry e{NewId("led"), workspace_id, account.entries, delta, account.balance, reason, reference, actor, now};
    tx.Exec(std::string("INSERT INTO billing_ledger (") + kEntryColumns +
                ") VALUES (:id, :w, :s, :d, :b, :r, :ref, :a, :t)",
            {e.id, e.workspace_id, e.seq, e.delta, e.balance_after, e.reason, e.reference, e.actor, e.created_at});
    return e;
}

// Claims the key of a grant made once per (workspace, reason, reference). Of two transactions granting the same
// thing, the second waits for the first and then finds the key taken (PostgreSQL), or runs after it (SQLite).
bool ClaimGrant(db::Tx& tx, const std::string& workspace_id, const std::string& reason, const std::string& reference) {
    return tx
        .QueryOne(
            "INSERT INTO billing_grants (workspace_id, reason, reference, entry_id) VALUES (:w, :r, :ref, '') ON "
            "CONFLICT (workspace_id, reason, reference) DO NOTHING RETURNING reason",
            {workspace_id, reason, reference})
        .has_value();
}

void RecordGrant(db::Tx& tx, const LedgerEntry& e) {
    tx.Exec("UPDATE billing_grants SET entry_id = :e WHERE workspace_id = :w AND reason = :r AND reference = :ref",
            {e.id, e.workspace_id, e.reason, e.reference});
}

// Releases the hold when it is still held (a conditional update: of two releases or a release and a capture, one
// wins) and gives its credits back; nullopt when it was not held. The part taken from an allowance goes back to it
// while its period lasts; after, it expired with the rest of that allowance.
std::optional<Hold> ReleaseHeld(db::Tx& tx, const std::string& hold_id, const std::string& actor, Micros now) {
    auto r = tx.QueryOne(std::string("UPDATE billing_holds SET status = 'released', settled_at = :t WHERE id = :id "
                                     "AND status = 'held' RETURNING ") +
                             kHoldColumns,
                         {now, hold_id});
    if (!r) return std::nullopt;
    Hold hold = HoldFromRow(*r);
    auto account = LockAccount(tx, hold.workspace_id, now, true);
    std::int64_t back = account->period == hold.allowance_period ? hold.from_allowance : 0;
    Append(tx, hold.workspace_id, *account, hold.amount - hold.from_allowance + back, back, "release", hold.id, actor,
           now);
    return hold;
}

// Starts the allowance `period` on the locked account: what is left of the previous one expires, and `credits` are
// granted unless this period's were granted before (back on a plan whose period was granted already, nothing more).
// False when the period had started.
bool Renew(db::Tx& tx, const std::string& workspace_id, Account& account, const std::string& period,
           std::int64_t credits, const std::string& actor, Micros now) {
    if (account.period == period) return false;
    std::string previous = account.period;
    account.period = period;  // written by the entries below, or on its own when there are none
    bool written = false;
    if (account.allowance > 0) {
        Append(tx, workspace_id, account, -account.allowance, -account.allowance, "allowance_expired", previous,
               "system", now);
        written = true;
    }
    if (credits > 0 && ClaimGrant(tx, workspace_id, "allowance", period)) {
        RecordGrant(tx, Append(tx, workspace_id, account, credits, credits, "allowance", period, actor, now));
        written = true;
    }
    if (!written)
        tx.Exec("UPDATE billing_accounts SET allowance_period = :p WHERE workspace_id = :w", {period, workspace_id});
    return true;
}

struct Locked {
    std::optional<Account> account;  ///< none: a workspace on a paid plan that never had credits
    bool renewed = false;
};

// Locks the account for spending, starting the free plan's month first when it is due: one lock for both, so a
// reservation costs one more query (the plan) than without allowances, not another lock.
Locked LockStartingFreeMonth(db::Tx& tx, const std::string& workspace_id, const std::string& free_period,
                             std::int64_t free_credits, Micros now) {
    auto plan = tx.QueryOne("SELECT plan FROM billing_workspaces WHERE workspace_id = :w", {workspace_id});
    if (plan && plan->Str(0) != "free") return {LockAccount(tx, workspace_id, now, false)};  // paid: by invoice
    Locked locked{LockAccount(tx, workspace_id, now, true)};
    locked.renewed = Renew(tx, workspace_id, *locked.account, free_period, free_credits, "system", now);
    return locked;
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
    auto account = LockStartingFreeMonth(tx, workspace_id, FreePeriod(), settings_.free_monthly_credits, now).account;
    if (!account || account->balance < amount) {
        std::int64_t balance = account ? account->balance : 0;
        Error e = Error::Make(ErrorCode::kPaymentRequired, "insufficient_credits",
                              fmt::format("this needs {} credits and the workspace has {}", amount, balance));
        e.numbers = {{"balance", balance}, {"required", amount}};
        return e;
    }
    std::int64_t from_allowance = std::min(account->allowance, amount);  // the allowance is spent first
    Hold hold{
        NewId("hold"),  workspace_id,   reference, amount, HoldStatus::kHeld, now, now + settings_.hold_timeout, {},
        from_allowance, account->period};
    Append(tx, workspace_id, *account, -amount, -from_allowance, "reserve", hold.id, actor, now);
    tx.Exec(std::string("INSERT INTO billing_holds (") + kHoldColumns +
                ") VALUES (:id, :w, :r, :a, 'held', :c, :e, NULL, :fa, :p)",
            {hold.id, workspace_id, reference, amount, now, hold.expires_at, from_allowance, hold.allowance_period});
    return hold;
}

bool Ledger::RenewAllowance(db::Tx& tx, const std::string& workspace_id, const std::string& period,
                            std::int64_t credits, const std::string& actor) const {
    Micros now = clock_.Now();
    auto account = LockAccount(tx, workspace_id, now, true);
    return Renew(tx, workspace_id, *account, period, credits, actor, now);
}

std::string Ledger::FreePeriod() const {
    return "free:" + FormatRfc3339(clock_.Now()).substr(0, 7);  // the calendar month, UTC: "free:2026-11"
}

bool Ledger::RenewFreeAllowance(db::Tx& tx, const std::string& workspace_id) const {
    return LockStartingFreeMonth(tx, workspace_id, FreePeriod(), settings_.free_monthly_credits, clock_.Now()).renewed;
}

Credits Ledger::CreditsOf(db::Tx& tx, const std::string& workspace_id) const {
    auto r = tx.QueryOne("SELECT balance, allowance, allowance_period FROM billing_accounts WHERE workspace_id = :w",
                         {workspace_id});
    if (!r) return {};
    return {r->Int(0), r->Int(1), r->Str(2)};
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
    if (reason.empty() || reason == "reserve" || reason == "release" || reason == "allowance" ||
        reason == "allowance_expired")
        return Error::Invalid("bad grant", {{"reason", "must name why the credits are given"}});
    if (!ClaimGrant(tx, workspace_id, reason, reference)) {
        auto existing = tx.QueryOne(std::string("SELECT ") + kEntryColumns +
                                        " FROM billing_ledger WHERE id = (SELECT entry_id FROM billing_grants WHERE "
                                        "workspace_id = :w AND reason = :r AND reference = :ref)",
                                    {workspace_id, reason, reference});
        if (!existing) throw std::runtime_error("billing: a grant without its ledger entry");
        return EntryFromRow(*existing);
    }
    Micros now = clock_.Now();
    auto account = LockAccount(tx, workspace_id, now, true);
    auto entry = Append(tx, workspace_id, *account, amount, 0, reason, reference, actor, now);
    RecordGrant(tx, entry);
    return entry;
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

LedgerTotals Ledger::Totals() {
    return db_.Read([&](db::Tx& tx) {
        LedgerTotals t;
        for (const auto& r : tx.Query("SELECT status, COALESCE(SUM(amount), 0) FROM billing_holds GROUP BY status")) {
            t.reserved += r.Int(1);
            if (r.Str(0) == "captured") t.captured = r.Int(1);
            if (r.Str(0) == "released") t.released = r.Int(1);
        }
        auto g = tx.QueryOne(
            "SELECT COALESCE(SUM(CASE WHEN delta > 0 AND reason <> 'release' THEN delta ELSE 0 END), 0), "
            "COALESCE(SUM(CASE WHEN reason = 'allowance_expired' THEN -delta ELSE 0 END), 0) FROM billing_ledger");
        t.granted = g->Int(0);
        t.expired = g->Int(1);
        return t;
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
