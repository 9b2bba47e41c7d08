#include "catalog.hpp"

namespace uxf::billing {

Catalog::Catalog(const BillingSettings& s)
    : offers_{{"pro_monthly", s.pro_price_id, "pro", s.pro_monthly_credits},
              {"team_monthly", s.team_price_id, "team", s.team_monthly_credits},
              {"credits_1000", s.credits_1000_price_id, "", 1000},
              {"credits_5000", s.credits_5000_price_id, "", 5000}},
      free_credits_(s.free_monthly_credits) {}

std::optional<Offer> Catalog::ByKey(const std::string& key) const {
    for (const auto& o : offers_)
        if (o.key == key && !o.price_id.empty()) return o;
    return std::nullopt;
}

std::optional<Offer> Catalog::ByPrice(const std::string& price_id) const {
    for (const auto& o : offers_)
        if (!price_id.empty() && o.price_id == price_id) return o;
    return std::nullopt;
}

std::vector<Offer> Catalog::Offered() const {
    std::vector<Offer> out;
    for (const auto& o : offers_)
        if (!o.price_id.empty()) out.push_back(o);
    return out;
}

std::int64_t Catalog::PackCredits(const std::string& key) const {
    for (const auto& o : offers_)
        if (o.key == key && !o.subscription()) return o.credits;
    return 0;
}

std::int64_t Catalog::MonthlyCredits(const std::string& plan) const {
    if (plan == "free") return free_credits_;
    for (const auto& o : offers_)
        if (o.plan == plan) return o.credits;
    return 0;
}

}  // namespace uxf::billing
