#pragma once
#include <span>
#include <string>

#include <spdlog/spdlog.h>

#include "uxf/core/settings.hpp"

namespace uxf {

/// Logging settings. JSON lines suit production log shippers; text suits a terminal.
struct LogSettings {
    std::string level = "info";   ///< trace, debug, info, warn, error, off
    std::string format = "auto";  ///< json, text, or auto (text on a terminal, json otherwise)
};

/// The UXFLOW_* variables of LogSettings (the defaults are the struct's).
std::span<const settings::Entry<LogSettings>> LogSettingsTable();

/// Installs the default spdlog logger as configured. Call once at start-up.
void SetUpLogging(const LogSettings& settings);

/// Escapes a string for inclusion inside a JSON string literal (log lines, not wire JSON).
std::string JsonEscape(std::string_view s);
/// Appends `s` escaped for a JSON string (without the quotes) to `out`.
void AppendJsonEscaped(std::string& out, std::string_view s);

}  // namespace uxf
