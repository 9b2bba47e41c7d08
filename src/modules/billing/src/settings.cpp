#include "uxf/billing/settings.hpp"

namespace uxf::billing {
namespace {

using namespace settings;
using B = BillingSettings;

constexpr Entry<B> kTable[] = {
    Integer<&B::free_monthly_credits>("UXFLOW_FREE_MONTHLY_CREDITS", 0, 1'000'000'000,
                                      "Credits a workspace on the free plan gets each calendar month (UTC); what is "
                                      "left of them expires at the next month's."),
    Integer<&B::pro_monthly_credits>("UXFLOW_PRO_MONTHLY_CREDITS", 0, 1'000'000'000,
                                     "Credits of the `pro` plan, granted with each paid invoice of its subscription."),
    Integer<&B::team_monthly_credits>("UXFLOW_TEAM_MONTHLY_CREDITS", 0, 1'000'000'000,
                                      "Credits of the `team` plan, granted with each paid invoice of its "
                                      "subscription."),
    Text<&B::pro_price_id>("UXFLOW_STRIPE_PRICE_PRO_MONTHLY",
                           "Stripe price (`price_...`) of the `pro` plan's monthly subscription; checkout offers "
                           "`pro_monthly` when set."),
    Text<&B::team_price_id>("UXFLOW_STRIPE_PRICE_TEAM_MONTHLY",
                            "Stripe price of the `team` plan's monthly subscription (`team_monthly`)."),
    Text<&B::credits_1000_price_id>("UXFLOW_STRIPE_PRICE_CREDITS_1000",
                                    "Stripe price of a one-off pack of 1,000 credits (`credits_1000`)."),
    Text<&B::credits_5000_price_id>("UXFLOW_STRIPE_PRICE_CREDITS_5000",
                                    "Stripe price of a one-off pack of 5,000 credits (`credits_5000`)."),
    Seconds<&B::hold_timeout>("UXFLOW_CREDIT_HOLD_TIMEOUT_S", 60, 7 * 86400,
                              "Credits reserved and neither spent nor given back by then (a crash) are given back."),
    Text<&B::stripe_api_base>("UXFLOW_STRIPE_API_BASE", "Stripe's API address (tests point it at a local server)."),
    Text<&B::stripe_secret_key>(
        "UXFLOW_STRIPE_SECRET_KEY",
        "Stripe secret key (`sk_...`, a secret). Without it checkout and the billing portal answer "
        "503 `billing_not_configured`; credits work all the same."),
    List<&B::stripe_webhook_secrets>(
        "UXFLOW_STRIPE_WEBHOOK_SECRET",
        "Signing secrets (`whsec_...`) of the Stripe webhook endpoint, comma-separated "
        "while one is rotated: an event signed with any of them is accepted (without one the "
        "webhook answers 503 `billing_not_configured`)."),
    Seconds<&B::webhook_tolerance>("UXFLOW_STRIPE_WEBHOOK_TOLERANCE_S", 1, 3600,
                                   "How far a webhook's signed timestamp may be from now, either way (replays)."),
};

}  // namespace

std::span<const Entry<BillingSettings>> BillingSettingsTable() { return kTable; }

}  // namespace uxf::billing
