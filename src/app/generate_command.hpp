// `uxflow generate "PROMPT"`: the generation pipeline from the command line, printing the flow.
#pragma once
#include <ostream>
#include <string>

#include "config.hpp"

namespace uxf::app {

/// Runs the pipeline (the configured database for patterns; nothing is stored, no credits are used) and writes the
/// laid-out flow in `format` to `out`. Returns the process's exit code (2 for a refused prompt or provider).
int GenerateCommand(Config config, const std::string& prompt, const std::string& locale, const std::string& provider,
                    const std::string& format, std::ostream& out, std::ostream& err);

}  // namespace uxf::app
