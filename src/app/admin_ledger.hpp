#pragma once
#include <ostream>
#include <string>

#include "config.hpp"

namespace uxf::app {

/// `uxflow admin verify-ledger` (`grant` false): checks every workspace's credits; 0 when they add up, 1 naming those
/// that do not. `uxflow admin grant-credits` (`grant` true): gives `amount` credits to `workspace` for `reason`
/// (ledger and audit log); 0 done, 2 refused with the reason on `err`.
int AdminLedger(const Config& config, bool grant, const std::string& workspace, long long amount,
                const std::string& reason, std::ostream& out, std::ostream& err);

}  // namespace uxf::app
