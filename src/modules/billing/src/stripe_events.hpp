// What a Stripe event does to a workspace's billing, once its signature was checked and its id claimed in the same
// transaction (so it happens once). Events may come in any order: a subscription's state is taken from an event
// only when that event is not older than the one that set it, a canceled subscription stays canceled, and an
// invoice never goes back from paid to open.
#pragma once
#include <string>

#include <boost/json/object.hpp>

#include "catalog.hpp"
#include "uxf/billing/ledger.hpp"
#include "uxf/core/context.hpp"
#include "uxf/platform/database.hpp"

namespace uxf::billing {

struct EventResult {
    /// "applied", "ignored" (a type we do not handle), "unmatched" (no workspace of ours), "stale" (older than
    /// what we have), "pending" (a checkout whose payment has not gone through yet)
    std::string outcome;
    std::string workspace_id;
};

/// Applies a verified event (`{id, type, created, data: {object}}`) in `tx`.
EventResult ApplyStripeEvent(db::Tx& tx, const Ledger& ledger, const Catalog& catalog, const boost::json::object& event,
                             const RequestMeta& meta, Micros now);

}  // namespace uxf::billing
