// What can be bought, by our names: the plans' monthly subscriptions and the credit packs, each with the Stripe
// price the settings give it. A purchase is known by our name in the browser and by its Stripe price in Stripe's
// events; the catalog translates both ways.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "uxf/billing/settings.hpp"

namespace uxf::billing {

struct Offer {
    std::string key;           ///< "pro_monthly", "credits_1000" ...
    std::string price_id;      ///< Stripe's; empty when not configured (then not offered)
    std::string plan;          ///< a subscription's plan ("pro", "team"); empty for a pack
    std::int64_t credits = 0;  ///< a plan's monthly credits, or a pack's
    bool subscription() const { return !plan.empty(); }
};

class Catalog {
  public:
    explicit Catalog(const BillingSettings& settings);
    /// The offer named `key`, when it exists and has a price.
    std::optional<Offer> ByKey(const std::string& key) const;
    std::optional<Offer> ByPrice(const std::string& price_id) const;
    /// The offers with a price, in the order above.
    std::vector<Offer> Offered() const;
    /// The credits of the pack named `key` ("credits_1000"), priced or not (a pack bought before its price was
    /// unset is still credited); 0 for a key that is no pack.
    std::int64_t PackCredits(const std::string& key) const;
    /// Monthly credits of a plan ("free", "pro", "team"; 0 for an unknown one).
    std::int64_t MonthlyCredits(const std::string& plan) const;

  private:
    std::vector<Offer> offers_;
    std::int64_t free_credits_;
};

}  // namespace uxf::billing
