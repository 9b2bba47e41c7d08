// A workspace's row of billing_workspaces (its plan and Stripe ids), shared by the webhook's events and checkout.
#pragma once
#include <string>

#include "uxf/core/clock.hpp"
#include "uxf/platform/database.hpp"

namespace uxf::billing {

/// Makes the workspace's row (free plan, nothing from Stripe) when it has none.
void EnsureWorkspaceRow(db::Tx& tx, const std::string& workspace_id, Micros now);
/// Keeps `customer` as the workspace's Stripe customer unless it has one, or the customer is another's.
void RememberCustomer(db::Tx& tx, const std::string& workspace_id, const std::string& customer);

}  // namespace uxf::billing
