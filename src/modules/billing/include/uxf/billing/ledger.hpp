// The credit ledger of each workspace: credits granted (a plan's monthly allowance, a purchase, an admin's grant)
// and spent. Spending is two steps, so a failed or cancelled AI generation costs nothing: Reserve takes the
// credits at once (a hold), then Capture keeps them or Release gives them back, exactly once. Exact under
// concurrency: a reservation is a conditional update of the balance inside the caller's transaction, so N
// simultaneous reservations of `a` against a balance B succeed min(N, floor(B / a)) times, and the balance is
// never negative. Every change is an append-only ledger entry; the balance always equals the sum of the entries.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "uxf/core/clock.hpp"
#include "uxf/core/context.hpp"
#include "uxf/core/pagination.hpp"
#include "uxf/core/result.hpp"

namespace uxf::db {
class Database;
class Tx;
}  // namespace uxf::db

namespace uxf::identity {
class WorkspaceService;
}

namespace uxf::billing {

enum class HoldStatus { kHeld, kCaptured, kReleased };
std::string_view StatusName(HoldStatus s);

struct Hold {
    std::string id, workspace_id, reference;
    std::int64_t amount = 0;
    HoldStatus status = HoldStatus::kHeld;
    Micros created_at = 0, expires_at = 0;
    std::optional<Micros> settled_at;
    std::int64_t from_allowance = 0;  ///< of `amount`, taken from the allowance of `allowance_period`
    std::string allowance_period;
};

/// A workspace's credits: `balance` in all, of which `allowance` is what is left of its plan's allowance for
/// `period` (spent first, expires when the next period's allowance is granted).
struct Credits {
    std::int64_t balance = 0, allowance = 0;
    std::string period;
};

struct LedgerEntry {
    std::string id, workspace_id;
    std::int64_t seq = 0;  ///< 1, 2, 3 ... per workspace
    std::int64_t delta = 0, balance_after = 0;
    /// "allowance" (a plan's monthly credits), "allowance_expired" (what was left of the previous one), "purchase",
    /// "admin: <why>", "reserve", "release"
    std::string reason;
    std::string reference;  ///< what it is about: a month, a payment, a hold
    std::string actor;      ///< who caused it (a user id, "system", "stripe")
    Micros created_at = 0;
};

/// Credits moved since the ledger began, all workspaces together (the metrics).
struct LedgerTotals {
    std::int64_t reserved = 0, captured = 0, released = 0, granted = 0, expired = 0;
};

struct LedgerSettings {
    Micros hold_timeout = 30 * kMinute;  ///< a hold neither captured nor released by then is released
    /// The free plan's monthly allowance (the app passes UXFLOW_FREE_MONTHLY_CREDITS; 0 here keeps tests exact).
    std::int64_t free_monthly_credits = 0;
};

class Ledger {
  public:
    Ledger(db::Database& db, const Clock& clock, LedgerSettings settings = {});

    // In the caller's transaction (a generation's reservation commits with the generation's row):

    /// Takes `amount` (> 0) credits from the workspace's balance into a hold; 402 insufficient_credits, with
    /// `balance` and `required`, when the balance is smaller.
    Result<Hold> Reserve(db::Tx& tx, const std::string& workspace_id, std::int64_t amount, const std::string& reference,
                         const std::string& actor) const;
    /// Spends a hold's credits. Capturing a captured hold changes nothing and answers it again; a released one is
    /// 409 hold_settled; an unknown one 404.
    Result<Hold> Capture(db::Tx& tx, const std::string& hold_id) const;
    /// Gives a hold's credits back. Releasing a released hold changes nothing; a captured one is 409 hold_settled.
    Result<Hold> Release(db::Tx& tx, const std::string& hold_id, const std::string& actor) const;
    /// Adds `amount` (> 0) credits, once per (workspace, reason, reference): granting the same again changes
    /// nothing and answers the entry made the first time.
    Result<LedgerEntry> Grant(db::Tx& tx, const std::string& workspace_id, std::int64_t amount,
                              const std::string& reason, const std::string& reference, const std::string& actor) const;
    std::int64_t Balance(db::Tx& tx, const std::string& workspace_id) const;
    Credits CreditsOf(db::Tx& tx, const std::string& workspace_id) const;
    /// Starts the allowance `period` (a free month "free:2026-11", a paid invoice "invoice:in_..."): what is left of
    /// the previous period's allowance expires, and `credits` are granted, unless this period's allowance was
    /// granted before. Once per period whoever runs it at the same moment (the account's row is locked); false when
    /// the period had started already.
    bool RenewAllowance(db::Tx& tx, const std::string& workspace_id, const std::string& period, std::int64_t credits,
                        const std::string& actor) const;
    /// On the free plan (a workspace without a paid plan), starts this calendar month's free allowance if it has not
    /// started: Reserve does it first, so a free workspace's credits renew the first time it needs them.
    bool RenewFreeAllowance(db::Tx& tx, const std::string& workspace_id) const;
    std::string FreePeriod() const;
    /// Newest first.
    Result<Page<LedgerEntry>> Entries(db::Tx& tx, const std::string& workspace_id, int limit,
                                      const std::string& cursor) const;

    // Each in a transaction of its own:

    Result<Hold> Reserve(const std::string& workspace_id, std::int64_t amount, const std::string& reference,
                         const std::string& actor);
    Result<Hold> Capture(const std::string& hold_id);
    Result<Hold> Release(const std::string& hold_id, const std::string& actor);
    Result<LedgerEntry> Grant(const std::string& workspace_id, std::int64_t amount, const std::string& reason,
                              const std::string& reference, const std::string& actor);
    std::int64_t Balance(const std::string& workspace_id);
    /// Releases the holds past their timeout (left by a crash, or by a caller that never settled them), each once
    /// whatever runs this at the same moment. Returns how many this call released.
    std::size_t ReleaseExpired();

    /// The workspace's ledger, newest first, for a person: owners and admins (other members 403, strangers 404).
    Result<Page<LedgerEntry>> EntriesFor(const identity::WorkspaceService& workspaces, const std::string& workspace_id,
                                         int limit, const std::string& cursor, const RequestMeta& meta);

    /// An operator's grant (`uxflow admin grant-credits`): `amount` credits to an existing workspace, the reason kept
    /// in the ledger ("admin: <reason>"), and the audit log's `billing.credits_granted` written in the same
    /// transaction. 404 for an unknown workspace.
    Result<LedgerEntry> GrantByOperator(const identity::WorkspaceService& workspaces, const std::string& workspace_id,
                                        std::int64_t amount, const std::string& reason, const RequestMeta& meta);

    /// The workspaces whose balance is not the sum of their entries, or whose entries do not chain (an entry's
    /// balance_after is not the one before plus its delta), or whose balance went below zero; empty when the
    /// ledger adds up. `uxflow admin verify-ledger` prints them.
    std::vector<std::string> Verify();
    /// Read from the database, so every process reports the same totals (two aggregate scans).
    LedgerTotals Totals();

  private:
    db::Database& db_;
    const Clock& clock_;
    LedgerSettings settings_;
};

}  // namespace uxf::billing
