#include "config.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <thread>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "uxf/knowledge/embeddings.hpp"
#include "uxf/platform/crypto.hpp"

namespace uxf::app {
namespace {

// Reads the secret kept in `file`, creating it with `make()` and mode 0600 on first use.
std::string KeptSecret(const std::filesystem::path& file, const std::function<std::string()>& make) {
    if (std::ifstream in(file); in) {
        std::string s;
        std::getline(in, s);
        if (!s.empty()) return s;
    }
    std::string secret = make();
    auto tmp = file.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << secret << '\n';
        if (!out) throw std::runtime_error("cannot write " + tmp);
    }
    ::chmod(tmp.c_str(), 0600);
    std::filesystem::rename(tmp, file);
    return secret;
}

// The settings of a parsed TOML table, by variable name.
std::map<std::string, std::string> TomlValues(const toml::table& table, std::string_view source) {
    std::map<std::string, std::string> values;
    for (const auto& [key, node] : table) {
        std::string env = "UXFLOW_" + std::string(key.str());
        for (auto& ch : env) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        // By the node's own type: toml++'s converting value<long long>() is undefined behaviour on a float out of
        // range (`workers = 1e300`), found by fuzz/config_toml.
        if (auto* s = node.as_string())
            values[env] = s->get();
        else if (auto* i = node.as_integer())
            values[env] = std::to_string(i->get());
        else if (auto* b = node.as_boolean())
            values[env] = b->get() ? "true" : "false";
        else if (auto* d = node.as_floating_point())
            values[env] = fmt::format("{}", d->get());
        else
            throw std::invalid_argument(fmt::format("{}: {} must be a string, number or boolean", source, key.str()));
    }
    return values;
}

void ApplyValues(Config& c, const std::map<std::string, std::string>& values) {
    for (const auto& [env, value] : values) {
        auto setting = std::find_if(Settings().begin(), Settings().end(),
                                    [&name = env](const Setting& s) { return s.spec->variable == name; });
        if (setting == Settings().end()) throw std::invalid_argument(fmt::format("unknown setting {}", env));
        try {
            setting->apply(c, value);
        } catch (const std::invalid_argument& e) {
            throw std::invalid_argument(fmt::format("{} {}", env, e.what()));
        }
    }
}

}  // namespace

Config ParseConfigToml(std::string_view toml_text, std::string_view source_name) {
    Config c;
    try {
        ApplyValues(c, TomlValues(toml::parse(toml_text, source_name), source_name));
    } catch (const toml::parse_error& e) {
        throw std::invalid_argument(fmt::format("{}: {}", source_name, e.description()));
    }
    return c;
}

Config LoadConfig(const std::optional<std::string>& toml_path, Secrets secrets) {
    Config c;
    c.db.pool_size = 0;  // unless given: sized to the threads that use it, below
    c.db.url.clear();
    std::map<std::string, std::string> values;
    if (toml_path) {
        try {
            values = TomlValues(toml::parse_file(*toml_path), *toml_path);
        } catch (const toml::parse_error& e) {
            throw std::invalid_argument(fmt::format("{}: {}", *toml_path, e.description()));
        }
    }
    for (const auto& s : Settings()) {
        std::string env(s.spec->variable);
        if (const char* v = std::getenv(env.c_str())) values[env] = v;
    }
    ApplyValues(c, values);
    // Every handler and hashing thread may hold a connection, plus the mail outbox and SQLite's checkpointer.
    if (c.gateway.workers == 0) c.gateway.workers = std::max(1u, std::thread::hardware_concurrency());
    if (c.gateway.hash_workers == 0) c.gateway.hash_workers = std::max<std::size_t>(1, c.gateway.workers / 2);
    if (c.db.pool_size == 0) c.db.pool_size = c.gateway.workers + c.gateway.hash_workers + 2;
    std::filesystem::path dir(c.data_dir);
    bool embedded = c.db.url.empty() || c.db.url.starts_with("sqlite");
    if (c.db.url.empty()) c.db.url = "sqlite://" + (dir / "uxflow.db").string();
    if (c.knowledge.vectors_file.empty()) c.knowledge.vectors_file = (dir / "wink-sg-100d-sif-1.vectors").string();
    if (secrets == Secrets::kAsGiven) return c;
    knowledge::CheckEmbeddingSettings(c.knowledge.embeddings);
    if (c.db.url.starts_with("sqlite") || c.identity.jwt_secret.empty() || c.identity.secret_key.empty())
        std::filesystem::create_directories(dir);
    if (c.identity.jwt_secret.empty()) {
        if (!embedded) throw std::invalid_argument("UXFLOW_JWT_SECRET is required with a shared database");
        c.identity.jwt_secret = KeptSecret(dir / "jwt_secret", [] { return crypto::RandomToken(48); });
    }
    if (c.identity.secret_key.empty()) {
        if (!embedded) throw std::invalid_argument("UXFLOW_SECRET_KEY is required with a shared database");
        c.identity.secret_key = KeptSecret(dir / "secret_key", [] { return crypto::SecretBox::NewKey(); });
    }
    if (c.identity.jwt_secret.size() < 32) throw std::invalid_argument("UXFLOW_JWT_SECRET must be at least 32 bytes");
    try {
        crypto::SecretBox check(c.identity.secret_key);
    } catch (const std::exception&) {
        throw std::invalid_argument("UXFLOW_SECRET_KEY must be 32 bytes in base64url (uxflow admin new-key)");
    }
    return c;
}

}  // namespace uxf::app
