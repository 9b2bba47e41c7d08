#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "uxf/ai/settings.hpp"
#include "uxf/billing/settings.hpp"
#include "uxf/core/log.hpp"
#include "uxf/core/settings.hpp"
#include "uxf/flows/settings.hpp"
#include "uxf/gateway/settings.hpp"
#include "uxf/identity/settings.hpp"
#include "uxf/knowledge/settings.hpp"
#include "uxf/platform/database.hpp"
#include "uxf/platform/jobs.hpp"
#include "uxf/platform/mail.hpp"

namespace uxf::app {

/// Every component's settings; the only place configuration is read.
struct Config {
    std::string data_dir = "./var";
    std::string redis_url;
    LogSettings log;
    db::DbSettings db;
    gateway::GatewaySettings gateway;
    identity::IdentitySettings identity;
    flows::FlowSettings flows;
    mail::SmtpSettings smtp;
    jobs::JobSettings jobs;
    knowledge::KnowledgeSettings knowledge;
    billing::BillingSettings billing;
    ai::AiSettings ai;
};

/// One UXFLOW_* variable: a component's settings-table entry, applied to that component's part of Config.
struct Setting {
    const settings::Spec* spec;
    std::string default_text;  ///< as documented: the struct's default formatted, or the derived default
    std::function<void(Config&, std::string_view)> apply;  ///< throws std::invalid_argument("must be ...")
    std::function<std::string(const Config&)> format;      ///< the value as `apply` reads it
};

/// Every setting, table by table: the app's own (data dir, Redis), then the database's, the gateway's, identity's,
/// mail's, the flows', the knowledge module's, billing's, the jobs' and logging's.
const std::vector<Setting>& Settings();

/// Whether LoadConfig derives the secrets: `kAsGiven` takes them as the settings give them (maybe empty), and touches
/// no file, for commands that do not need them (`admin backup`, `admin restore`).
enum class Secrets { kDerive, kAsGiven };

/// Reads the optional TOML file (keys are the variable names without `UXFLOW_`, lower case), then the
/// environment (which wins), then derives what is left: the SQLite path in the data dir, and in embedded mode
/// the JWT secret and secret key, generated once and kept in the data dir with 0600 permissions.
/// Throws std::invalid_argument with the variable's name for a bad value.
Config LoadConfig(const std::optional<std::string>& toml_path, Secrets secrets = Secrets::kDerive);

/// The settings of TOML text alone, on the defaults: no environment, nothing derived, nothing written (what
/// LoadConfig reads from a file; the TOML fuzzer's entry point). Throws std::invalid_argument like LoadConfig.
Config ParseConfigToml(std::string_view toml_text, std::string_view source_name = "config");

/// The settings as a Markdown table (`uxflow admin settings`; README's configuration section is this output).
std::string SettingsMarkdown();

}  // namespace uxf::app
