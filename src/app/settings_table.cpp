// The settings table: the components' tables composed onto Config, and printed for the README.
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "config.hpp"

namespace uxf::app {
namespace {

// The app's own settings; every other one belongs to a component's table.
constexpr settings::Entry<Config> kAppTable[] = {
    settings::Text<&Config::data_dir>("UXFLOW_DATA_DIR", "Folder for the SQLite file and the generated secrets."),
    settings::Text<&Config::redis_url>(
        "UXFLOW_REDIS_URL",
        "Redis for cross-instance events and shared rate limits: not used yet (the server says so at start-up)."),
};

template <class S>
void Add(std::vector<Setting>& out, std::span<const settings::Entry<S>> table, S Config::*part) {
    for (const auto& entry : table) {
        const settings::Entry<S>* e = &entry;
        out.push_back({&e->spec, e->DefaultText(),
                       [e, part](Config& c, std::string_view text) { e->apply(e->spec, c.*part, text); },
                       [e, part](const Config& c) { return e->format(c.*part); }});
    }
}

void Add(std::vector<Setting>& out, std::span<const settings::Entry<Config>> table) {
    for (const auto& entry : table) {
        const settings::Entry<Config>* e = &entry;
        out.push_back({&e->spec, e->DefaultText(),
                       [e](Config& c, std::string_view text) { e->apply(e->spec, c, text); },
                       [e](const Config& c) { return e->format(c); }});
    }
}

std::vector<Setting> Compose() {
    std::vector<Setting> all;
    Add(all, std::span<const settings::Entry<Config>>(kAppTable));
    Add(all, db::DbSettingsTable(), &Config::db);
    Add(all, gateway::GatewaySettingsTable(), &Config::gateway);
    Add(all, identity::IdentitySettingsTable(), &Config::identity);
    Add(all, mail::SmtpSettingsTable(), &Config::smtp);
    Add(all, flows::FlowSettingsTable(), &Config::flows);
    Add(all, knowledge::KnowledgeSettingsTable(), &Config::knowledge);
    Add(all, billing::BillingSettingsTable(), &Config::billing);
    Add(all, ai::AiSettingsTable(), &Config::ai);
    Add(all, jobs::JobSettingsTable(), &Config::jobs);
    Add(all, LogSettingsTable(), &Config::log);
    std::set<std::string_view> seen;
    for (const auto& s : all)
        if (!s.spec->variable.starts_with("UXFLOW_") || !seen.insert(s.spec->variable).second)
            throw std::logic_error(fmt::format("settings table: {} is not a new UXFLOW_ name", s.spec->variable));
    return all;
}

}  // namespace

const std::vector<Setting>& Settings() {
    static const std::vector<Setting> kAll = Compose();
    return kAll;
}

std::string SettingsMarkdown() {
    std::string out = "| variable | default | meaning |\n|---|---|---|\n";
    for (const auto& s : Settings())
        out += fmt::format("| `{}` | {} | {} |\n", s.spec->variable, s.default_text, s.spec->description);
    return out;
}

}  // namespace uxf::app
