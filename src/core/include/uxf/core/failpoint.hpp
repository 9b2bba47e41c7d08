// Fail points for crash tests: with UXFLOW_FAILPOINTS=name[,name...] in the environment, Hit(name) kills the
// process with SIGKILL at that line, as a power cut or the OOM killer would. Without the variable, Hit is a load
// and a branch.
#pragma once
#include <string_view>

namespace uxf::failpoint {

void Hit(std::string_view name);

}  // namespace uxf::failpoint
