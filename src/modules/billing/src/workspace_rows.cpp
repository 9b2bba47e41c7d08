#include "workspace_rows.hpp"

namespace uxf::billing {

void EnsureWorkspaceRow(db::Tx& tx, const std::string& ws, Micros now) {
    tx.Exec(
        "INSERT INTO billing_workspaces (workspace_id, plan, subscription_status, price_id, cancel_at_period_end, "
        "subscription_event_at, updated_at) VALUES (:w, 'free', '', '', 0, 0, :t) ON CONFLICT (workspace_id) DO "
        "NOTHING",
        {ws, now});
}

void RememberCustomer(db::Tx& tx, const std::string& ws, const std::string& customer) {
    if (customer.empty()) return;
    tx.Exec(
        "UPDATE billing_workspaces SET stripe_customer_id = :c WHERE workspace_id = :w AND stripe_customer_id IS "
        "NULL AND NOT EXISTS (SELECT 1 FROM billing_workspaces o WHERE o.stripe_customer_id = :c2)",
        {customer, ws, customer});
}

}  // namespace uxf::billing
