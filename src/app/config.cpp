#include "config.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <thread>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "uxf/core/strings.hpp"
#include "uxf/platform/crypto.hpp"

namespace uxf::app {
namespace {

struct Setting {
    const char* env;
    const char* default_text;
    const char* description;
    std::function<void(Config&, const std::string&)> apply;
};

long long ToInt(const std::string& v, long long min, long long max) {
    try {
        std::size_t used = 0;
        long long n = std::stoll(v, &used);
        if (used == v.size() && n >= min && n <= max) return n;
    } catch (const std::exception&) {
    }
    throw std::invalid_argument(fmt::format("must be an integer from {} to {}", min, max));
}

double ToDouble(const std::string& v) {
    try {
        std::size_t used = 0;
        double d = std::stod(v, &used);
        if (used == v.size() && d >= 0) return d;
    } catch (const std::exception&) {
    }
    throw std::invalid_argument("must be a number >= 0");
}

bool ToBool(const std::string& v) {
    std::string l = ToLower(v);
    if (l == "1" || l == "true" || l == "yes" || l == "on") return true;
    if (l == "0" || l == "false" || l == "no" || l == "off") return false;
    throw std::invalid_argument("must be true or false");
}

std::vector<std::string> ToList(const std::string& v) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= v.size()) {
        auto comma = v.find(',', start);
        if (comma == std::string::npos) comma = v.size();
        auto item = Trim(std::string_view(v).substr(start, comma - start));
        if (!item.empty()) out.emplace_back(item);
        start = comma + 1;
    }
    return out;
}

#define UXF_INT(field, min, max) [](Config& c, const std::string& v) { c.field = ToInt(v, min, max); }
#define UXF_NUM(field) [](Config& c, const std::string& v) { c.field = ToDouble(v); }
#define UXF_SECONDS(field, min, max) [](Config& c, const std::string& v) { c.field = ToInt(v, min, max) * kSecond; }
#define UXF_STR(field) [](Config& c, const std::string& v) { c.field = v; }

const std::vector<Setting>& Settings() {
    static const std::vector<Setting> kSettings = {
        {"UXFLOW_LISTEN", "127.0.0.1:8080", "Address and port to serve HTTP on (port 0 picks a free one).",
         UXF_STR(gateway.listen)},
        {"UXFLOW_DATA_DIR", "./var", "Folder for the SQLite file and the generated secrets.", UXF_STR(data_dir)},
        {"UXFLOW_DATABASE_URL", "sqlite://<data dir>/uxflow.db",
         "`sqlite:///path/file.db`, or `postgres://user:pass@host:port/db` to share one database between instances.",
         UXF_STR(db.url)},
        {"UXFLOW_DATABASE_POOL", "(workers + hash workers + 2)", "Database connections per process.",
         UXF_INT(db.pool_size, 1, 512)},
        {"UXFLOW_REDIS_URL", "(none)",
         "Redis for cross-instance events and shared rate limits: not used yet (the server says so at start-up).",
         UXF_STR(redis_url)},
        {"UXFLOW_JWT_SECRET", "(generated in the data dir)",
         "HS256 key for access tokens, at least 32 bytes. Set it, identically, on every instance of a cluster.",
         UXF_STR(identity.jwt_secret)},
        {"UXFLOW_SECRET_KEY", "(generated in the data dir)",
         "32-byte base64url key that encrypts secrets at rest (TOTP seeds). Same on every instance.",
         UXF_STR(identity.secret_key)},
        {"UXFLOW_CORS_ORIGINS", "(none)", "Comma-separated origins allowed to call the API from a browser.",
         [](Config& c, const std::string& v) { c.gateway.cors_origins = ToList(v); }},
        {"UXFLOW_MAX_BODY_BYTES", "10485760", "Largest request body; larger ones answer 413.",
         UXF_INT(gateway.max_body_bytes, 1024, 1LL << 30)},
        {"UXFLOW_MAX_PIPELINE", "16",
         "Pipelined requests on one connection that are read ahead and handled at once (answers stay in order).",
         UXF_INT(gateway.max_pipeline, 1, 256)},
        {"UXFLOW_WORKERS", "(cores)", "Threads that run request handlers.", UXF_INT(gateway.workers, 1, 1024)},
        {"UXFLOW_HASH_WORKERS", "(workers / 2)",
         "Threads that hash passwords (register, login, reset); a login flood waits here, not in the workers.",
         UXF_INT(gateway.hash_workers, 1, 256)},
        {"UXFLOW_READ_TIMEOUT_S", "30", "Seconds to receive a request once it started.",
         UXF_INT(gateway.read_timeout_s, 1, 3600)},
        {"UXFLOW_IDLE_TIMEOUT_S", "75", "Seconds a keep-alive connection may stay idle.",
         UXF_INT(gateway.idle_timeout_s, 1, 3600)},
        {"UXFLOW_SHUTDOWN_GRACE_S", "20", "Seconds in-flight requests get to finish on SIGTERM.",
         UXF_INT(gateway.shutdown_grace_s, 0, 600)},
        {"UXFLOW_TRUST_PROXY", "false", "Take the client address from X-Forwarded-For (behind a load balancer).",
         [](Config& c, const std::string& v) { c.gateway.trust_proxy = ToBool(v); }},
        {"UXFLOW_RATE_LIMIT_IP_RPS", "200", "Requests per second per client IP (0: off).",
         UXF_NUM(gateway.rate_limit.ip_rps)},
        {"UXFLOW_RATE_LIMIT_IP_BURST", "400", "Burst above that rate per client IP.",
         UXF_NUM(gateway.rate_limit.ip_burst)},
        {"UXFLOW_RATE_LIMIT_USER_RPS", "300", "Requests per second per signed-in user (0: off).",
         UXF_NUM(gateway.rate_limit.user_rps)},
        {"UXFLOW_RATE_LIMIT_USER_BURST", "600", "Burst above that rate per user.",
         UXF_NUM(gateway.rate_limit.user_burst)},
        {"UXFLOW_RATE_LIMIT_AUTH_PER_HOUR", "120",
         "Sign-ups, logins, refreshes and reset requests per hour per client IP (0: off).",
         UXF_NUM(gateway.rate_limit.auth_per_hour)},
        {"UXFLOW_RATE_LIMIT_AUTH_BURST", "60", "Burst of those per client IP.", UXF_NUM(gateway.rate_limit.auth_burst)},
        {"UXFLOW_LOCKOUT_ACCOUNT_THRESHOLD", "5", "Failed logins on one account (in the window) before it locks (423).",
         UXF_INT(identity.account_lock_threshold, 1, 1000)},
        {"UXFLOW_LOCKOUT_IP_THRESHOLD", "20", "Failed logins from one IP (in the window) before it is refused (429).",
         UXF_INT(identity.ip_lock_threshold, 1, 100000)},
        {"UXFLOW_LOCKOUT_WINDOW_S", "900", "Failures older than this are forgotten.",
         UXF_SECONDS(identity.failure_window, 1, 86400)},
        {"UXFLOW_LOCKOUT_BASE_S", "60", "First lock; each further lock within a day doubles it.",
         UXF_SECONDS(identity.lock_base, 1, 86400)},
        {"UXFLOW_LOCKOUT_MAX_S", "900", "No lock lasts longer than this.", UXF_SECONDS(identity.lock_max, 1, 86400)},
        {"UXFLOW_ACCESS_TOKEN_TTL_S", "900", "Access token lifetime.", UXF_SECONDS(identity.access_ttl, 60, 86400)},
        {"UXFLOW_REFRESH_TOKEN_TTL_S", "2592000", "Absolute lifetime of a session (refresh-token family).",
         UXF_SECONDS(identity.refresh_ttl, 3600, 31536000)},
        {"UXFLOW_PUBLIC_URL", "http://127.0.0.1:8080", "Base URL of links in mails.", UXF_STR(identity.public_url)},
        {"UXFLOW_SMTP_URL", "(none)", "`smtp://host:port` or `smtps://host:port`; without it mails wait in the outbox.",
         UXF_STR(smtp.url)},
        {"UXFLOW_SMTP_FROM", "UX-Flow-Engine <no-reply@localhost>", "Sender of mails.", UXF_STR(smtp.from)},
        {"UXFLOW_SMTP_USERNAME", "(none)", "SMTP login.", UXF_STR(smtp.username)},
        {"UXFLOW_SMTP_PASSWORD", "(none)", "SMTP password.", UXF_STR(smtp.password)},
        {"UXFLOW_MAX_NODES_PER_FLOW", "2000", "Nodes one flow may hold (422 limit_exceeded beyond).",
         UXF_INT(flows.max_nodes, 1, 1000000)},
        {"UXFLOW_MAX_EDGES_PER_FLOW", "5000", "Edges one flow may hold.", UXF_INT(flows.max_edges, 1, 1000000)},
        {"UXFLOW_MAX_FLOWS_PER_WORKSPACE", "1000", "Flows one workspace may hold (deleted ones do not count).",
         UXF_INT(flows.max_flows_per_workspace, 1, 10000000)},
        {"UXFLOW_MAX_LABEL_CHARS", "200", "Longest node or edge label and edge condition, in characters.",
         UXF_INT(flows.max_label_chars, 1, 100000)},
        {"UXFLOW_MAX_NODE_DATA_BYTES", "16384", "Largest `data` object of one node, as compact JSON.",
         UXF_INT(flows.max_data_bytes, 2, 10000000)},
        {"UXFLOW_EXPORT_CACHE_BYTES", "67108864",
         "Memory for rendered exports of flow versions (versions never change, so their files are reused).",
         UXF_INT(flows.export_cache_bytes, 0, 1LL << 34)},
        {"UXFLOW_LOG_LEVEL", "info", "trace, debug, info, warn, error or off.", UXF_STR(log.level)},
        {"UXFLOW_LOG_FORMAT", "auto", "json, text, or auto (text on a terminal, JSON lines otherwise).",
         UXF_STR(log.format)},
    };
    return kSettings;
}

#undef UXF_INT
#undef UXF_NUM
#undef UXF_SECONDS
#undef UXF_STR

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

}  // namespace

std::vector<SettingDoc> SettingDocs() {
    std::vector<SettingDoc> out;
    for (const auto& s : Settings()) out.push_back({s.env, s.default_text, s.description});
    return out;
}

namespace {

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
        bool known = false;
        for (const auto& s : Settings())
            if (env == s.env) {
                try {
                    s.apply(c, value);
                } catch (const std::invalid_argument& e) {
                    throw std::invalid_argument(fmt::format("{} {}", env, e.what()));
                }
                known = true;
            }
        if (!known) throw std::invalid_argument(fmt::format("unknown setting {}", env));
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
    for (const auto& s : Settings())
        if (const char* v = std::getenv(s.env)) values[s.env] = v;
    ApplyValues(c, values);
    // Every handler and hashing thread may hold a connection, plus the mail outbox and SQLite's checkpointer.
    if (c.gateway.workers == 0) c.gateway.workers = std::max(1u, std::thread::hardware_concurrency());
    if (c.gateway.hash_workers == 0) c.gateway.hash_workers = std::max<std::size_t>(1, c.gateway.workers / 2);
    if (c.db.pool_size == 0) c.db.pool_size = c.gateway.workers + c.gateway.hash_workers + 2;
    std::filesystem::path dir(c.data_dir);
    bool embedded = c.db.url.empty() || c.db.url.starts_with("sqlite");
    if (c.db.url.empty()) c.db.url = "sqlite://" + (dir / "uxflow.db").string();
    if (secrets == Secrets::kAsGiven) return c;
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
