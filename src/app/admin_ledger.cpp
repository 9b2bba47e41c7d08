#include "admin_ledger.hpp"

#include "app.hpp"
#include "uxf/billing/ledger.hpp"

namespace uxf::app {

int AdminLedger(const Config& config, bool grant, const std::string& workspace, long long amount,
                const std::string& reason, std::ostream& out, std::ostream& err) {
    App application(config);
    if (grant) {
        auto entry = application.ledger().GrantByOperator(application.workspaces(), workspace, amount, reason,
                                                          {"cli", "", "uxflow admin", "operator"});
        if (!entry.ok()) {
            err << entry.error().message;
            for (const auto& f : entry.error().errors) err << "; " << f.field << " " << f.message;
            err << "\n";
            return 2;
        }
        out << "granted " << amount << " credits to " << workspace << ", balance " << entry->balance_after << "\n";
        return 0;
    }
    auto bad = application.ledger().Verify();
    for (const auto& ws : bad) out << "does not add up: " << ws << "\n";
    if (bad.empty()) out << "every workspace's credits add up\n";
    return bad.empty() ? 0 : 1;
}

}  // namespace uxf::app
