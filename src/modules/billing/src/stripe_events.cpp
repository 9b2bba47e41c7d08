#include "stripe_events.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>

#include "uxf/identity/audit.hpp"
#include "workspace_rows.hpp"

namespace uxf::billing {
namespace {

namespace json = boost::json;

// A step of a path into Stripe's JSON: a member name or an array index.
struct Step {
    Step(const char* name) : name(name) {}  // NOLINT(google-explicit-constructor): paths read as {"a", 0, "b"}
    Step(int index) : index(index) {}       // NOLINT(google-explicit-constructor)
    const char* name = nullptr;
    int index = -1;
};

const json::value* At(const json::object& root, std::initializer_list<Step> path) {
    const json::value* v = nullptr;
    const json::object* object = &root;
    const json::array* array = nullptr;
    for (const Step& step : path) {
        if (step.name && object) {
            v = object->if_contains(step.name);
        } else if (!step.name && array && step.index < static_cast<int>(array->size())) {
            v = &(*array)[static_cast<std::size_t>(step.index)];
        } else {
            return nullptr;
        }
        if (!v) return nullptr;
        object = v->if_object();
        array = v->if_array();
    }
    return v;
}

std::string Str(const json::object& o, std::initializer_list<Step> path) {
    const auto* v = At(o, path);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::optional<std::int64_t> Int(const json::object& o, std::initializer_list<Step> path) {
    const auto* v = At(o, path);
    if (v && v->is_int64()) return v->get_int64();
    if (v && v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
        return static_cast<std::int64_t>(v->get_uint64());
    return std::nullopt;
}

// An id field that Stripe sends as the id, or as the object itself when expanded.
std::string IdOf(const json::object& o, std::initializer_list<Step> path) {
    const auto* v = At(o, path);
    if (!v) return "";
    if (v->is_string()) return std::string(v->get_string());
    if (const auto* obj = v->if_object()) return Str(*obj, {"id"});
    return "";
}

// Stripe's times are unix seconds; ours microseconds. NULL when absent.
db::Value MicrosOrNull(std::optional<std::int64_t> seconds) {
    return seconds ? db::Value(*seconds * kSecond) : db::kNull;
}

// A subscription that the customer has (paying, trying, or behind on a payment Stripe is still retrying).
bool Live(const std::string& status) { return status == "active" || status == "trialing" || status == "past_due"; }

// Whose event it is: the workspace id we put in the metadata of everything we create, or the customer we made.
std::string WorkspaceFor(db::Tx& tx, const json::object& o) {
    for (auto ws : {Str(o, {"metadata", "workspace_id"}), Str(o, {"client_reference_id"}),
                    Str(o, {"subscription_details", "metadata", "workspace_id"}),
                    Str(o, {"parent", "subscription_details", "metadata", "workspace_id"})})
        if (!ws.empty()) return ws;
    std::string customer = IdOf(o, {"customer"});
    if (customer.empty()) return "";
    auto r = tx.QueryOne("SELECT workspace_id FROM billing_workspaces WHERE stripe_customer_id = :c", {customer});
    return r ? r->Str(0) : "";
}

void Audit(db::Tx& tx, const std::string& ws, const std::string& action, const std::string& details,
           const RequestMeta& meta, Micros now) {
    identity::WriteAudit(tx, {"", ws, "", "", action, "", "", details, meta.request_id, 0}, meta, now);
}

struct Context {
    db::Tx& tx;
    const Ledger& ledger;
    const Catalog& catalog;
    const RequestMeta& meta;
    Micros now;
    std::int64_t created;  ///< the event's, in seconds
};

EventResult OnCheckoutSession(Context& c, const json::object& session) {
    std::string ws = WorkspaceFor(c.tx, session);
    if (ws.empty()) return {"unmatched", ""};
    EnsureWorkspaceRow(c.tx, ws, c.now);
    RememberCustomer(c.tx, ws, IdOf(session, {"customer"}));
    std::string mode = Str(session, {"mode"});
    if (mode == "subscription") {
        // The plan itself comes with the subscription's own events and its paid invoice.
        c.tx.Exec(
            "UPDATE billing_workspaces SET subscription_id = :s WHERE workspace_id = :w AND subscription_id IS NULL",
            {IdOf(session, {"subscription"}), ws});
        return {"applied", ws};
    }
    if (mode != "payment") return {"ignored", ws};
    std::string paid = Str(session, {"payment_status"});
    if (paid != "paid" && paid != "no_payment_required") return {"pending", ws};  // async_payment_succeeded follows
    std::string key = Str(session, {"metadata", "price_key"});
    std::int64_t credits = c.catalog.PackCredits(key);
    if (credits <= 0) return {"unmatched", ws};
    std::string session_id = Str(session, {"id"});
    // The same session again (completed, then async_payment_succeeded): the grant is once, and so is its audit.
    if (c.tx.QueryOne("SELECT 1 FROM billing_grants WHERE workspace_id = :w AND reason = 'purchase' AND reference = "
                      ":r",
                      {ws, session_id}))
        return {"applied", ws};
    auto entry = c.ledger.Grant(c.tx, ws, credits, "purchase", session_id, "stripe");
    if (!entry.ok()) return {"unmatched", ws};
    Audit(c.tx, ws, "billing.credits_purchased", fmt::format("{} credits ({})", credits, key), c.meta, c.now);
    return {"applied", ws};
}

EventResult OnSubscription(Context& c, const json::object& sub, bool deleted) {
    std::string ws = WorkspaceFor(c.tx, sub);
    if (ws.empty()) return {"unmatched", ""};
    EnsureWorkspaceRow(c.tx, ws, c.now);
    auto row = c.tx.QueryOne(
        "SELECT subscription_id, subscription_status, subscription_event_at, plan FROM billing_workspaces WHERE "
        "workspace_id = :w",
        {ws});
    std::string id = Str(sub, {"id"}), status = deleted ? "canceled" : Str(sub, {"status"});
    std::string known_id = row->Str(0), known_status = row->Str(1), old_plan = row->Str(3);
    if (c.created < row->Int(2)) return {"stale", ws};
    if (known_id == id && known_status == "canceled" && !deleted) return {"stale", ws};  // canceled is final
    // The end of an older subscription does not end the one that replaced it.
    if (!known_id.empty() && known_id != id && Live(known_status) && !Live(status)) return {"stale", ws};
    std::string price = Str(sub, {"items", "data", 0, "price", "id"});
    auto offer = c.catalog.ByPrice(price);
    std::string plan = Live(status) && offer && offer->subscription() ? offer->plan : "free";
    auto start = Int(sub, {"current_period_start"}), end = Int(sub, {"current_period_end"});
    if (!start) start = Int(sub, {"items", "data", 0, "current_period_start"});  // API versions from 2025-03-31
    if (!end) end = Int(sub, {"items", "data", 0, "current_period_end"});
    const auto* cancel = At(sub, {"cancel_at_period_end"});
    c.tx.Exec(
        "UPDATE billing_workspaces SET plan = :p, subscription_id = :s, subscription_status = :st, price_id = :pr, "
        "current_period_start = :ps, current_period_end = :pe, cancel_at_period_end = :c, subscription_event_at = "
        ":e, updated_at = :t WHERE workspace_id = :w",
        {plan, id, status, price, MicrosOrNull(start), MicrosOrNull(end),
         std::int64_t{cancel && cancel->is_bool() && cancel->get_bool()}, c.created, c.now, ws});
    RememberCustomer(c.tx, ws, IdOf(sub, {"customer"}));
    if (plan != old_plan)
        Audit(c.tx, ws, "billing.plan_changed", fmt::format("{} -> {} (subscription {})", old_plan, plan, status),
              c.meta, c.now);
    return {"applied", ws};
}

int InvoiceRank(const std::string& status) {
    if (status == "paid" || status == "void" || status == "uncollectible") return 2;
    return status == "open" ? 1 : 0;
}

EventResult OnInvoice(Context& c, const std::string& type, const json::object& inv) {
    std::string ws = WorkspaceFor(c.tx, inv);
    if (ws.empty()) return {"unmatched", ""};
    std::string id = Str(inv, {"id"}), status = Str(inv, {"status"});
    if (id.empty()) return {"unmatched", ws};
    // A subscription invoice's own period is the one before; its line's period is what was paid for.
    auto start = Int(inv, {"lines", "data", 0, "period", "start"}),
         end = Int(inv, {"lines", "data", 0, "period", "end"});
    if (!start) start = Int(inv, {"period_start"});
    if (!end) end = Int(inv, {"period_end"});
    auto amount = Int(inv, {"total"});
    if (!amount) amount = Int(inv, {"amount_due"});
    auto known = c.tx.QueryOne("SELECT status, event_at FROM billing_invoices WHERE id = :id", {id});
    bool newer = !known || InvoiceRank(status) > InvoiceRank(known->Str(0)) ||
                 (InvoiceRank(status) == InvoiceRank(known->Str(0)) && c.created >= known->Int(1));
    if (newer) {
        std::vector<db::Value> values{ws,
                                      amount.value_or(0),
                                      Str(inv, {"currency"}),
                                      status,
                                      MicrosOrNull(start),
                                      MicrosOrNull(end),
                                      Str(inv, {"hosted_invoice_url"}),
                                      Int(inv, {"created"}).value_or(c.created) * kSecond,
                                      c.created,
                                      id};  // last in both statements
        c.tx.Exec(known ? "UPDATE billing_invoices SET workspace_id = :w, amount = :a, currency = :c, status = :s, "
                          "period_start = :ps, period_end = :pe, hosted_invoice_url = :u, created_at = :ca, event_at "
                          "= :e WHERE id = :id"
                        : "INSERT INTO billing_invoices (workspace_id, amount, currency, status, period_start, "
                          "period_end, hosted_invoice_url, created_at, event_at, id) VALUES (:w, :a, :c, :s, :ps, "
                          ":pe, :u, :ca, :e, :id)",
                  values);
    }
    if (type == "invoice.payment_failed")
        Audit(c.tx, ws, "billing.payment_failed", fmt::format("invoice {}", id), c.meta, c.now);
    if (type != "invoice.paid") return {newer ? "applied" : "stale", ws};

    // A paid subscription invoice starts the plan's next allowance period, once per invoice.
    std::string subscription = IdOf(inv, {"subscription"});
    if (subscription.empty()) subscription = IdOf(inv, {"parent", "subscription_details", "subscription"});
    std::string price = Str(inv, {"lines", "data", 0, "price", "id"});
    if (price.empty()) price = Str(inv, {"lines", "data", 0, "plan", "id"});
    if (price.empty()) price = Str(inv, {"lines", "data", 0, "pricing", "price_details", "price"});
    auto offer = c.catalog.ByPrice(price);
    if (subscription.empty() || !offer || !offer->subscription()) return {"applied", ws};
    EnsureWorkspaceRow(c.tx, ws, c.now);
    auto row = c.tx.QueryOne(
        "SELECT subscription_id, subscription_status FROM billing_workspaces WHERE workspace_id = :w", {ws});
    if (row->Str(0) == subscription && row->Str(1) == "canceled") return {"stale", ws};  // paid, then ended
    c.tx.Exec(
        "UPDATE billing_workspaces SET plan = :p, subscription_id = :s, price_id = :pr, updated_at = :t WHERE "
        "workspace_id = :w AND (subscription_id IS NULL OR subscription_id = :s2 OR subscription_status NOT IN "
        "('active', 'trialing', 'past_due'))",
        {offer->plan, subscription, price, c.now, ws, subscription});
    RememberCustomer(c.tx, ws, IdOf(inv, {"customer"}));
    if (c.ledger.RenewAllowance(c.tx, ws, "invoice:" + id, offer->credits, "stripe"))
        Audit(c.tx, ws, "billing.allowance_renewed", fmt::format("{} credits of plan {}", offer->credits, offer->plan),
              c.meta, c.now);
    return {"applied", ws};
}

}  // namespace

EventResult ApplyStripeEvent(db::Tx& tx, const Ledger& ledger, const Catalog& catalog, const json::object& event,
                             const RequestMeta& meta, Micros now) {
    std::string type = Str(event, {"type"});
    const auto* object = At(event, {"data", "object"});
    if (!object || !object->is_object()) return {"ignored", ""};
    Context c{tx, ledger, catalog, meta, now, Int(event, {"created"}).value_or(0)};
    const json::object& o = object->get_object();
    if (type == "checkout.session.completed" || type == "checkout.session.async_payment_succeeded")
        return OnCheckoutSession(c, o);
    if (type == "customer.subscription.created" || type == "customer.subscription.updated" ||
        type == "customer.subscription.deleted" || type == "customer.subscription.paused" ||
        type == "customer.subscription.resumed")
        return OnSubscription(c, o, type == "customer.subscription.deleted");
    if (type == "invoice.paid" || type == "invoice.payment_failed" || type == "invoice.finalized" ||
        type == "invoice.voided" || type == "invoice.marked_uncollectible" || type == "invoice.updated")
        return OnInvoice(c, type, o);
    return {"ignored", ""};
}

}  // namespace uxf::billing
