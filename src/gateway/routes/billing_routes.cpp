// Billing over HTTP: a workspace's credit ledger (plans, checkout, the portal, invoices and Stripe's webhook come
// with the Stripe client).
#include <boost/json.hpp>

#include "../json_io.hpp"
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

}  // namespace

void AddBillingRoutes(Router& r, billing::Ledger& ledger, const identity::WorkspaceService& workspaces) {
    r.Add("GET", "/v1/workspaces/{ws}/billing/ledger", {}, [&ledger, &workspaces](Ctx& ctx) {
        auto limit = LimitParam(ctx.req);
        if (!limit.ok()) return ctx.Fail(limit.error());
        auto page = ledger.EntriesFor(workspaces, ctx.Param("ws"), *limit, ctx.req.Query("cursor"), ctx.meta);
        if (!page.ok()) return ctx.Fail(page.error());
        return PageResponse(*page, EntryJson);
    });
}

}  // namespace uxf::gateway
