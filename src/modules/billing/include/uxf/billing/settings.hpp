#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "uxf/core/clock.hpp"
#include "uxf/core/settings.hpp"

namespace uxf::billing {

/// Plans, credit packs and Stripe; `app/` fills them from the UXFLOW_* variables of BillingSettingsTable().
/// What can be bought has fixed names (`pro_monthly`, `team_monthly`, `credits_1000`, `credits_5000`); each is
/// offered once its Stripe price id is set.
struct BillingSettings {
    std::int64_t free_monthly_credits = 50;
    std::int64_t pro_monthly_credits = 1000;
    std::int64_t team_monthly_credits = 5000;
    std::string pro_price_id, team_price_id;                   ///< Stripe prices of the monthly subscriptions
    std::string credits_1000_price_id, credits_5000_price_id;  ///< Stripe prices of the one-off credit packs
    Micros hold_timeout = 30 * kMinute;
    std::string stripe_api_base = "https://api.stripe.com";
    std::string stripe_secret_key;
    std::vector<std::string> stripe_webhook_secrets;  ///< several while one is rotated
    Micros webhook_tolerance = 300 * kSecond;
    /// Where Stripe's pages send the person back to (identity's UXFLOW_PUBLIC_URL, set by `app/`).
    std::string public_url = "http://127.0.0.1:8080";
};

std::span<const settings::Entry<BillingSettings>> BillingSettingsTable();

}  // namespace uxf::billing
