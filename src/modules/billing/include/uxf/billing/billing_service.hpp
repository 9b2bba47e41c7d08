// Billing for people and for Stripe: a workspace's plan and credits, buying a plan or a credit pack through Stripe
// Checkout, managing the subscription in Stripe's billing portal, the invoices, and Stripe's webhook. Card data never
// reaches the server: people pay on Stripe's pages, and only Stripe's ids are kept.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "uxf/billing/ledger.hpp"
#include "uxf/billing/settings.hpp"
#include "uxf/core/clock.hpp"
#include "uxf/core/context.hpp"
#include "uxf/core/pagination.hpp"
#include "uxf/core/result.hpp"
#include "uxf/platform/http_client.hpp"

namespace uxf::metrics {
class Registry;
}

namespace uxf::billing {

namespace stripe {
class Client;
}
class Catalog;

struct BillingSummary {
    std::string plan;  ///< "free", "pro", "team"
    std::int64_t balance = 0, monthly_allowance = 0, allowance_remaining = 0;
    std::optional<Micros> renews_at;  ///< the next allowance: the next month, or the subscription's period end
    std::string subscription_status;  ///< Stripe's ("active", "past_due" ...), "none" without one
    std::optional<Micros> current_period_end;
    bool cancel_at_period_end = false;
    std::vector<std::string> offers;  ///< what checkout sells here ("pro_monthly", "credits_1000" ...)
};

struct Invoice {
    std::string id;           ///< Stripe's
    std::int64_t amount = 0;  ///< in the currency's smallest unit (cents)
    std::string currency, status;
    std::optional<Micros> period_start, period_end;
    std::string hosted_invoice_url;
    Micros created_at = 0;
};

struct WebhookResult {
    std::string event_id, type;
    std::string outcome;  ///< "duplicate", or what the event did (see EventResult)
};

class BillingService {
  public:
    /// `stripe_hooks` lets tests watch or skip the waits between retries of Stripe calls.
    BillingService(db::Database& db, const Clock& clock, const Ledger& ledger,
                   const identity::WorkspaceService& workspaces, BillingSettings settings, metrics::Registry& metrics,
                   http::RetryHooks stripe_hooks = {});
    ~BillingService();

    /// Owners and admins (other members 403, strangers 404). Starts the month's free allowance when due.
    Result<BillingSummary> Summary(const std::string& workspace_id, const RequestMeta& meta);
    /// A Stripe Checkout page for `price_key` (a plan's subscription or a credit pack): its URL. The workspace's
    /// Stripe customer is made on first use. 409 already_subscribed for a plan while a subscription lives (change it
    /// in the portal); 503 billing_not_configured without a Stripe key.
    Result<std::string> Checkout(const std::string& workspace_id, const std::string& price_key,
                                 const RequestMeta& meta);
    /// A Stripe billing portal page (change or cancel the plan, cards, invoices): its URL. 409 no_customer before
    /// anything was bought.
    Result<std::string> Portal(const std::string& workspace_id, const RequestMeta& meta);
    /// Newest first.
    Result<Page<Invoice>> Invoices(const std::string& workspace_id, int limit, const std::string& cursor,
                                   const RequestMeta& meta);
    /// A webhook delivery: the `Stripe-Signature` header and the raw body. 400 invalid_signature (audited, no
    /// effect) unless a `v1` signature matches under a configured secret within the tolerance; then the event is
    /// applied once, whoever receives it again or at the same moment (its id is claimed in the transaction that
    /// applies it). 503 billing_not_configured without a webhook secret.
    Result<WebhookResult> HandleStripeWebhook(std::string_view signature, std::string_view body,
                                              const RequestMeta& meta);

  private:
    Result<std::string> CustomerFor(const std::string& workspace_id, const RequestMeta& meta);

    db::Database& db_;
    const Clock& clock_;
    const Ledger& ledger_;
    const identity::WorkspaceService& workspaces_;
    BillingSettings settings_;
    metrics::Registry& metrics_;
    std::unique_ptr<Catalog> catalog_;
    std::unique_ptr<stripe::Client> stripe_;
};

}  // namespace uxf::billing
