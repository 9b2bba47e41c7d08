#include "uxf/billing/billing_service.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>

#include "catalog.hpp"
#include "stripe/client.hpp"
#include "stripe/signature.hpp"
#include "stripe_events.hpp"
#include "uxf/core/ids.hpp"
#include "uxf/identity/audit.hpp"
#include "uxf/identity/workspace_service.hpp"
#include "uxf/platform/crypto.hpp"
#include "uxf/platform/metrics.hpp"
#include "workspace_rows.hpp"

namespace uxf::billing {
namespace {

Error NotConfigured(std::string_view what) {
    return Error::Make(ErrorCode::kUnavailable, "billing_not_configured",
                       fmt::format("billing is not configured: set {}", what));
}

// The Idempotency-Key of a Stripe call made for a request: derived from the request's own key, so a client's retry
// (after a crash of ours, say) repeats nothing at Stripe; a fresh one without.
std::string StripeKey(std::string_view operation, const std::string& workspace_id, const std::string& detail,
                      const RequestMeta& meta) {
    if (meta.idempotency_key.empty()) return fmt::format("uxflow-{}-{}", operation, NewId("k"));
    return fmt::format("uxflow-{}-{}", operation,
                       crypto::Sha256Hex(meta.idempotency_key + "\n" + workspace_id + "\n" + detail));
}

// The first instant of the month after `now` (UTC).
Micros NextMonth(Micros now) {
    std::time_t t = static_cast<std::time_t>(now / kSecond);
    std::tm tm{};
    gmtime_r(&t, &tm);
    tm = std::tm{.tm_sec = 0, .tm_min = 0, .tm_hour = 0, .tm_mday = 1, .tm_mon = tm.tm_mon + 1, .tm_year = tm.tm_year};
    return static_cast<Micros>(timegm(&tm)) * kSecond;
}

Invoice InvoiceFromRow(const db::Row& r) {
    return {r.Str(0), r.Int(1), r.Str(2), r.Str(3), r.OptInt(4), r.OptInt(5), r.Str(6), r.Int(7)};
}

}  // namespace

BillingService::BillingService(db::Database& db, const Clock& clock, const Ledger& ledger,
                               const identity::WorkspaceService& workspaces, BillingSettings settings,
                               metrics::Registry& metrics, http::RetryHooks stripe_hooks)
    : db_(db),
      clock_(clock),
      ledger_(ledger),
      workspaces_(workspaces),
      settings_(std::move(settings)),
      metrics_(metrics),
      catalog_(std::make_unique<Catalog>(settings_)) {
    stripe::ClientSettings client;
    client.api_base = settings_.stripe_api_base;
    client.secret_key = settings_.stripe_secret_key;
    stripe_ = std::make_unique<stripe::Client>(std::move(client), std::move(stripe_hooks));
    metrics_.Describe("uxflow_stripe_webhook_events_total", metrics::Registry::Kind::kCounter,
                      "Stripe webhook deliveries by event type and outcome (applied, duplicate, ignored, unmatched, "
                      "stale, pending, rejected)");
}

BillingService::~BillingService() = default;

Result<BillingSummary> BillingService::Summary(const std::string& workspace_id, const RequestMeta& meta) {
    return db_.Write([&](db::Tx& tx) -> Result<BillingSummary> {
        if (auto r = workspaces_.Authorize(tx, meta.user_id, workspace_id, identity::Role::kAdmin); !r.ok())
            return r.error();
        ledger_.RenewFreeAllowance(tx, workspace_id);
        BillingSummary s;
        s.plan = "free";
        s.subscription_status = "none";
        if (auto row = tx.QueryOne("SELECT plan, subscription_status, current_period_end, cancel_at_period_end FROM "
                                   "billing_workspaces WHERE workspace_id = :w",
                                   {workspace_id})) {
            s.plan = row->Str(0);
            if (!row->Str(1).empty()) s.subscription_status = row->Str(1);
            s.current_period_end = row->OptInt(2);
            s.cancel_at_period_end = row->Int(3) != 0;
        }
        Credits credits = ledger_.CreditsOf(tx, workspace_id);
        s.balance = credits.balance;
        s.allowance_remaining = credits.allowance;
        s.monthly_allowance = catalog_->MonthlyCredits(s.plan);
        if (s.plan == "free")
            s.renews_at = NextMonth(clock_.Now());
        else if (!s.cancel_at_period_end)
            s.renews_at = s.current_period_end;
        if (stripe_->configured())
            for (const auto& offer : catalog_->Offered()) s.offers.push_back(offer.key);
        return s;
    });
}

Result<std::string> BillingService::CustomerFor(const std::string& workspace_id, const RequestMeta& meta) {
    auto known = db_.Read([&](db::Tx& tx) {
        return tx.QueryOne("SELECT stripe_customer_id FROM billing_workspaces WHERE workspace_id = :w", {workspace_id});
    });
    if (known && !known->IsNull(0)) return known->Str(0);
    auto workspace = workspaces_.Get(meta.user_id, workspace_id);
    if (!workspace.ok()) return workspace.error();
    // One key per workspace: two first purchases at the same moment make one customer (Stripe answers the second
    // with the first's), and so does a retry after a crash between Stripe's answer and our write.
    auto made = stripe_->CreateCustomer({workspace_id, workspace->name, ""}, "uxflow-customer-" + workspace_id);
    if (!made.ok()) return made.error();
    return db_.Write([&](db::Tx& tx) {
        EnsureWorkspaceRow(tx, workspace_id, clock_.Now());
        RememberCustomer(tx, workspace_id, *made);
        return tx.QueryOne("SELECT stripe_customer_id FROM billing_workspaces WHERE workspace_id = :w", {workspace_id})
            ->Str(0);
    });
}

Result<std::string> BillingService::Checkout(const std::string& workspace_id, const std::string& price_key,
                                             const RequestMeta& meta) {
    auto allowed = db_.Read([&](db::Tx& tx) -> Result<void> {
        if (auto r = workspaces_.Authorize(tx, meta.user_id, workspace_id, identity::Role::kAdmin); !r.ok())
            return r.error();
        return {};
    });
    if (!allowed.ok()) return allowed.error();
    if (!stripe_->configured()) return NotConfigured("UXFLOW_STRIPE_SECRET_KEY");
    auto offer = catalog_->ByKey(price_key);
    if (!offer) {
        std::string offered;
        for (const auto& o : catalog_->Offered()) offered += (offered.empty() ? "" : ", ") + o.key;
        return Error::Invalid("unknown price",
                              {{"price", offered.empty() ? "nothing is for sale: no Stripe price is configured"
                                                         : "must be one of: " + offered}});
    }
    if (offer->subscription()) {
        auto status = db_.Read([&](db::Tx& tx) {
            auto r = tx.QueryOne("SELECT subscription_status FROM billing_workspaces WHERE workspace_id = :w",
                                 {workspace_id});
            return r ? r->Str(0) : std::string();
        });
        if (status == "active" || status == "trialing" || status == "past_due")
            return Error::Make(ErrorCode::kConflict, "already_subscribed",
                               "the workspace has a subscription: change its plan in the billing portal");
    }
    auto customer = CustomerFor(workspace_id, meta);
    if (!customer.ok()) return customer.error();
    std::string page = settings_.public_url + "/workspaces/" + workspace_id + "/billing";
    auto session =
        stripe_->CreateCheckoutSession({*customer, offer->price_id, offer->subscription() ? "subscription" : "payment",
                                        page + "?checkout=success&session_id={CHECKOUT_SESSION_ID}",
                                        page + "?checkout=cancelled", workspace_id, offer->key},
                                       StripeKey("checkout", workspace_id, price_key, meta));
    if (!session.ok()) return session.error();
    return session->url;
}

Result<std::string> BillingService::Portal(const std::string& workspace_id, const RequestMeta& meta) {
    auto customer = db_.Read([&](db::Tx& tx) -> Result<std::string> {
        if (auto r = workspaces_.Authorize(tx, meta.user_id, workspace_id, identity::Role::kAdmin); !r.ok())
            return r.error();
        auto row =
            tx.QueryOne("SELECT stripe_customer_id FROM billing_workspaces WHERE workspace_id = :w", {workspace_id});
        return row && !row->IsNull(0) ? row->Str(0) : std::string();
    });
    if (!customer.ok()) return customer.error();
    if (!stripe_->configured()) return NotConfigured("UXFLOW_STRIPE_SECRET_KEY");
    if (customer->empty())
        return Error::Make(ErrorCode::kConflict, "no_customer",
                           "the workspace has bought nothing yet: start with a checkout");
    return stripe_->CreatePortalSession(*customer, settings_.public_url + "/workspaces/" + workspace_id + "/billing",
                                        StripeKey("portal", workspace_id, "", meta));
}

Result<Page<Invoice>> BillingService::Invoices(const std::string& workspace_id, int limit, const std::string& cursor,
                                               const RequestMeta& meta) {
    limit = ClampLimit(limit);
    auto before = ParseCursor(cursor, true);
    if (!before.ok()) return before.error();
    return db_.Read([&](db::Tx& tx) -> Result<Page<Invoice>> {
        if (auto r = workspaces_.Authorize(tx, meta.user_id, workspace_id, identity::Role::kAdmin); !r.ok())
            return r.error();
        auto rows = tx.Query(
            "SELECT id, amount, currency, status, period_start, period_end, hosted_invoice_url, created_at FROM "
            "billing_invoices WHERE workspace_id = :w AND (created_at < :a OR (created_at = :a2 AND id < :i)) ORDER "
            "BY created_at DESC, id DESC LIMIT :l",
            {workspace_id, before->at, before->at, before->id, std::int64_t{limit + 1}});
        return MakePage<Invoice>(rows, limit, InvoiceFromRow,
                                 [](const Invoice& i) { return std::make_pair(i.created_at, i.id); });
    });
}

Result<WebhookResult> BillingService::HandleStripeWebhook(std::string_view signature, std::string_view body,
                                                          const RequestMeta& meta) {
    if (settings_.stripe_webhook_secrets.empty()) return NotConfigured("UXFLOW_STRIPE_WEBHOOK_SECRET");
    Micros now = clock_.Now();
    auto verified =
        stripe::VerifySignature(signature, body, {settings_.stripe_webhook_secrets, now, settings_.webhook_tolerance});
    if (!verified.ok()) {
        metrics_.Inc("uxflow_stripe_webhook_events_total", {{"type", ""}, {"outcome", "rejected"}});
        db_.Write([&](db::Tx& tx) {
            identity::WriteAudit(
                tx, {"", "", "", "", "billing.webhook_rejected", "", "", verified.error().message, meta.request_id, 0},
                meta, now);
        });
        return verified.error();
    }
    boost::system::error_code ec;
    auto parsed = boost::json::parse(body, ec);
    const auto* event = ec ? nullptr : parsed.if_object();
    const auto* id = event ? event->if_contains("id") : nullptr;
    const auto* type = event ? event->if_contains("type") : nullptr;
    if (!id || !id->is_string() || id->get_string().empty() || id->get_string().size() > 255 || !type ||
        !type->is_string())
        return Error::Make(ErrorCode::kInvalidInput, "invalid_event", "the body is not a Stripe event");
    WebhookResult result{std::string(id->get_string()), std::string(type->get_string()), "duplicate"};
    db_.Write([&](db::Tx& tx) {
        // The event's id first: a second delivery, here or in another process, finds it taken (on PostgreSQL it
        // waits for this transaction, and applies nothing if it commits).
        auto claimed = tx.QueryOne(
            "INSERT INTO billing_stripe_events (id, type, created, outcome, received_at) VALUES (:id, :t, :c, '', "
            ":r) ON CONFLICT (id) DO NOTHING RETURNING id",
            {result.event_id, result.type,
             event->contains("created") && event->at("created").is_int64() ? event->at("created").get_int64()
                                                                           : std::int64_t{0},
             now});
        if (!claimed) return;
        EventResult applied = ApplyStripeEvent(tx, ledger_, *catalog_, *event, meta, now);
        result.outcome = applied.outcome;
        tx.Exec("UPDATE billing_stripe_events SET outcome = :o, workspace_id = :w WHERE id = :id",
                {applied.outcome, applied.workspace_id.empty() ? db::kNull : db::Value(applied.workspace_id),
                 result.event_id});
    });
    // Known types by name; any other under one label, so a label's values stay few.
    bool known = result.outcome != "ignored" || result.type.starts_with("checkout.") ||
                 result.type.starts_with("invoice.") || result.type.starts_with("customer.subscription.");
    metrics_.Inc("uxflow_stripe_webhook_events_total",
                 {{"type", known ? result.type : "other"}, {"outcome", result.outcome}});
    return result;
}

}  // namespace uxf::billing
