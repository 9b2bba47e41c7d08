#include "uxf/core/failpoint.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace uxf::failpoint {
namespace {
const std::string& Armed() {
    static const std::string names = [] {
        const char* v = std::getenv("UXFLOW_FAILPOINTS");
        return v ? "," + std::string(v) + "," : std::string();
    }();
    return names;
}
}  // namespace

void Hit(std::string_view name) {
    const std::string& armed = Armed();
    if (armed.empty()) return;
    if (armed.find("," + std::string(name) + ",") != std::string::npos) ::kill(::getpid(), SIGKILL);
}

}  // namespace uxf::failpoint
