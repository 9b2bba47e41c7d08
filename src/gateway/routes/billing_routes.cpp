// Billing over HTTP: a workspace's plan and credits, its ledger and invoices, Stripe Checkout and billing portal
// pages, and Stripe's webhook.
#include <boost/json.hpp>

#include "../json_io.hpp"
#include "uxf/billing/billing_service.hpp"
#include "uxf/billing/ledger.hpp"
#include "uxf/core/clock.hpp"
#include "uxf/gateway/routes.hpp"
#include "uxf/platform/json_text.hpp"

namespace uxf::gateway {
namespace {

std::string EntryJson(const billing::LedgerEntry& e) {
    return json_text::Write(boost::json::object{{"id", e.id},
                                                {"delta", e.delta},
                                                {"balance_after", e.balance_after},
                                                {"reason", e.reason},
                                                {"reference", e.reference},
                                                {"created_at", FormatRfc3339(e.created_at)}});
}

boost::json::value Time(const std::optional<Micros>& t) {
    return t ? boost::json::value(FormatRfc3339(*t)) : boost::json::value(nullptr);
}

std::string InvoiceJson(const billing::Invoice& i) {
    return json_text::Write(boost::json::object{{"id", i.id},
                                                {"amount", i.amount},
                                                {"currency", i.currency},
                                                {"status", i.status},
                                                {"period_start", Time(i.period_start)},
                                                {"period_end", Time(i.period_end)},
                                                {"hosted_invoice_url", i.hosted_invoice_url},
                                                {"created_at", FormatRfc3339(i.created_at)}});
}

boost::json::object SummaryJson(const billing::BillingSummary& s) {
    boost::json::array offers;
    for (const auto& o : s.offers) offers.emplace_back(o);
    return {{"plan", s.plan},
            {"credits",
             {{"balance", s.balance},
              {"monthly_allowance", s.monthly_allowance},
              {"allowance_remaining", s.allowance_remaining},
              {"renews_at", Time(s.renews_at)}}},
            {"subscription",
             {{"status", s.subscription_status},
              {"current_period_end", Time(s.current_period_end)},
              {"cancel_at_period_end", s.cancel_at_period_end}}},
            {"offers", std::move(offers)}};
}

Response UrlOrFail(Ctx& ctx, const Result<std::string>& url) {
    if (!url.ok()) return ctx.Fail(url.error());
    return JsonResponse(200, boost::json::object{{"url", *url}});
}

}  // namespace

void AddBillingRoutes(Router& r, billing::Ledger& ledger, billing::BillingService& billing,
                      const identity::WorkspaceService& workspaces) {
    r.Add("GET", "/v1/workspaces/{ws}/billing", {}, [&billing](Ctx& ctx) {
        auto summary = billing.Summary(ctx.Param("ws"), ctx.meta);
        if (!summary.ok()) return ctx.Fail(summary.error());
        return JsonResponse(200, SummaryJson(*summary));
    });
    r.Add("POST", "/v1/workspaces/{ws}/billing/checkout", {.idempotent = true}, [&billing](Ctx& ctx) {
        return WithBody(
            ctx, [](Fields& f) { return f.Str("price", true, 64); },
            [&](const std::string& price) {
                return UrlOrFail(ctx, billing.Checkout(ctx.Param("ws"), price, ctx.meta));
            });
    });
    r.Add("POST", "/v1/workspaces/{ws}/billing/portal", {.idempotent = true},
          [&billing](Ctx& ctx) { return UrlOrFail(ctx, billing.Portal(ctx.Param("ws"), ctx.meta)); });
    r.Add("GET", "/v1/workspaces/{ws}/billing/invoices", {}, [&billing](Ctx& ctx) {
        auto limit = LimitParam(ctx.req);
        if (!limit.ok()) return ctx.Fail(limit.error());
        auto page = billing.Invoices(ctx.Param("ws"), *limit, ctx.req.Query("cursor"), ctx.meta);
        if (!page.ok()) return ctx.Fail(page.error());
        return PageResponse(*page, InvoiceJson);
    });
    // Stripe signs the raw body: it is read as it came, never re-serialized.
    r.Add("POST", "/v1/billing/stripe/webhook", {.auth = false}, [&billing](Ctx& ctx) {
        auto handled = billing.HandleStripeWebhook(ctx.req.Header("Stripe-Signature"), ctx.req.body, ctx.meta);
        if (!handled.ok()) return ctx.Fail(handled.error());
        return JsonResponse(
            200, boost::json::object{{"received", true}, {"id", handled->event_id}, {"outcome", handled->outcome}});
    });
    r.Add("GET", "/v1/workspaces/{ws}/billing/ledger", {}, [&ledger, &workspaces](Ctx& ctx) {
        auto limit = LimitParam(ctx.req);
        if (!limit.ok()) return ctx.Fail(limit.error());
        auto page = ledger.EntriesFor(workspaces, ctx.Param("ws"), *limit, ctx.req.Query("cursor"), ctx.meta);
        if (!page.ok()) return ctx.Fail(page.error());
        return PageResponse(*page, EntryJson);
    });
}

}  // namespace uxf::gateway
