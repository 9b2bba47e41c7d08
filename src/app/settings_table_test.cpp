// The composed settings table: documented defaults, each variable's field, ranges, and the TOML keys.
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <set>

#include <fmt/format.h>

#include "config.hpp"

namespace uxf::app {
namespace {

using settings::Kind;

class SettingsTableTest : public ::testing::Test {
  protected:
    SettingsTableTest() { UnsetAll(); }
    ~SettingsTableTest() override { UnsetAll(); }
    static void UnsetAll() {
        for (const auto& s : Settings()) unsetenv(Env(s).c_str());
    }
    static std::string Env(const Setting& s) { return std::string(s.spec->variable); }
    static std::string TomlKey(const Setting& s) {
        std::string key(s.spec->variable.substr(7));
        for (auto& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        return key;
    }
    // A valid value other than the default, in the form `format` gives it back.
    static std::string OtherValue(const Setting& s) {
        const auto& spec = *s.spec;
        std::string now = s.format(Config{});
        switch (spec.kind) {
            case Kind::kInteger:
            case Kind::kSeconds:
            case Kind::kNumber:
                for (long long v : {spec.min, spec.max, spec.min + 1})
                    if (std::to_string(v) != now) return std::to_string(v);
                break;
            case Kind::kBool:
                return now == "true" ? "false" : "true";
            case Kind::kText:
                return "value of " + Env(s);
            case Kind::kChoice:
                for (auto c : spec.choices)
                    if (c != now) return std::string(c);
                break;
            case Kind::kList:
                return "https://a.example,https://b.example";
        }
        ADD_FAILURE() << spec.variable << " has no other value";
        return now;
    }
    static std::vector<std::string> Formatted(const Config& c) {
        std::vector<std::string> out;
        for (const auto& s : Settings()) out.push_back(s.format(c));
        return out;
    }
};

// The variables whose struct default is a placeholder that LoadConfig replaces.
const std::set<std::string_view> kDerived = {"UXFLOW_WORKERS",       "UXFLOW_HASH_WORKERS", "UXFLOW_DATABASE_URL",
                                             "UXFLOW_DATABASE_POOL", "UXFLOW_JWT_SECRET",   "UXFLOW_SECRET_KEY",
                                             "UXFLOW_VECTORS_FILE"};

TEST_F(SettingsTableTest, DocumentedDefaultsAreTheStructsDefaultsFormatted) {
    const Config defaults;
    for (const auto& s : Settings()) {
        SCOPED_TRACE(s.spec->variable);
        EXPECT_EQ(!s.spec->derived_default.empty(), kDerived.contains(s.spec->variable));
        if (kDerived.contains(s.spec->variable)) {
            EXPECT_EQ(s.default_text, s.spec->derived_default);
            continue;
        }
        std::string formatted = s.format(defaults);
        EXPECT_EQ(s.default_text, formatted.empty() ? "(none)" : formatted);
        // The default is a value the variable accepts: giving it explicitly changes nothing.
        Config c;
        EXPECT_NO_THROW(s.apply(c, formatted));
        EXPECT_EQ(s.format(c), formatted);
    }
}

TEST_F(SettingsTableTest, EveryVariableSetsItsOwnSettingAndNoOther) {
    const auto defaults = Formatted(Config{});
    for (std::size_t i = 0; i < Settings().size(); ++i) {
        const auto& s = Settings()[i];
        SCOPED_TRACE(s.spec->variable);
        std::string value = OtherValue(s);
        auto got = Formatted(ParseConfigToml(fmt::format("{} = '{}'", TomlKey(s), value)));
        EXPECT_EQ(got[i], value);
        for (std::size_t j = 0; j < got.size(); ++j)
            if (j != i) {
                EXPECT_EQ(got[j], defaults[j]) << "also changed " << Settings()[j].spec->variable;
            }
        setenv(Env(s).c_str(), value.c_str(), 1);
        EXPECT_EQ(s.format(LoadConfig(std::nullopt, Secrets::kAsGiven)), value);
        unsetenv(Env(s).c_str());
    }
}

// Read straight from the fields, not through the table: each variable sets the field its name says.
TEST_F(SettingsTableTest, EachVariableSetsTheFieldItNames) {
    using Check = std::function<bool(const Config&)>;
    const std::vector<std::tuple<std::string, std::string, Check>> cases = {
        {"UXFLOW_LISTEN", "0.0.0.0:9", [](const Config& c) { return c.gateway.listen == "0.0.0.0:9"; }},
        {"UXFLOW_CORS_ORIGINS", "https://x.example",
         [](const Config& c) { return c.gateway.cors_origins == std::vector<std::string>{"https://x.example"}; }},
        {"UXFLOW_MAX_BODY_BYTES", "2048", [](const Config& c) { return c.gateway.max_body_bytes == 2048; }},
        {"UXFLOW_MAX_PIPELINE", "3", [](const Config& c) { return c.gateway.max_pipeline == 3; }},
        {"UXFLOW_WORKERS", "5", [](const Config& c) { return c.gateway.workers == 5; }},
        {"UXFLOW_HASH_WORKERS", "6", [](const Config& c) { return c.gateway.hash_workers == 6; }},
        {"UXFLOW_HASH_QUEUE", "7", [](const Config& c) { return c.gateway.hash_queue == 7; }},
        {"UXFLOW_READ_TIMEOUT_S", "8", [](const Config& c) { return c.gateway.read_timeout_s == 8; }},
        {"UXFLOW_IDLE_TIMEOUT_S", "9", [](const Config& c) { return c.gateway.idle_timeout_s == 9; }},
        {"UXFLOW_SHUTDOWN_GRACE_S", "10", [](const Config& c) { return c.gateway.shutdown_grace_s == 10; }},
        {"UXFLOW_TRUST_PROXY", "on", [](const Config& c) { return c.gateway.trust_proxy; }},
        {"UXFLOW_RATE_LIMIT_IP_RPS", "1.5", [](const Config& c) { return c.gateway.rate_limit.ip_rps == 1.5; }},
        {"UXFLOW_RATE_LIMIT_IP_BURST", "2.5", [](const Config& c) { return c.gateway.rate_limit.ip_burst == 2.5; }},
        {"UXFLOW_RATE_LIMIT_USER_RPS", "3.5", [](const Config& c) { return c.gateway.rate_limit.user_rps == 3.5; }},
        {"UXFLOW_RATE_LIMIT_USER_BURST", "4.5", [](const Config& c) { return c.gateway.rate_limit.user_burst == 4.5; }},
        {"UXFLOW_RATE_LIMIT_AUTH_PER_HOUR", "5.5",
         [](const Config& c) { return c.gateway.rate_limit.auth_per_hour == 5.5; }},
        {"UXFLOW_RATE_LIMIT_AUTH_BURST", "6.5", [](const Config& c) { return c.gateway.rate_limit.auth_burst == 6.5; }},
        {"UXFLOW_DATA_DIR", "/tmp/d", [](const Config& c) { return c.data_dir == "/tmp/d"; }},
        {"UXFLOW_REDIS_URL", "redis://r", [](const Config& c) { return c.redis_url == "redis://r"; }},
        {"UXFLOW_DATABASE_URL", "sqlite:///tmp/x.db", [](const Config& c) { return c.db.url == "sqlite:///tmp/x.db"; }},
        {"UXFLOW_DATABASE_POOL", "11", [](const Config& c) { return c.db.pool_size == 11; }},
        {"UXFLOW_DATABASE_BUSY_TIMEOUT_MS", "12", [](const Config& c) { return c.db.busy_timeout_ms == 12; }},
        {"UXFLOW_DATABASE_MAX_RETRIES", "13", [](const Config& c) { return c.db.max_retries == 13; }},
        {"UXFLOW_JWT_SECRET", "j", [](const Config& c) { return c.identity.jwt_secret == "j"; }},
        {"UXFLOW_SECRET_KEY", "k", [](const Config& c) { return c.identity.secret_key == "k"; }},
        {"UXFLOW_LOCKOUT_ACCOUNT_THRESHOLD", "14",
         [](const Config& c) { return c.identity.account_lock_threshold == 14; }},
        {"UXFLOW_LOCKOUT_IP_THRESHOLD", "15", [](const Config& c) { return c.identity.ip_lock_threshold == 15; }},
        {"UXFLOW_LOCKOUT_WINDOW_S", "16", [](const Config& c) { return c.identity.failure_window == 16 * kSecond; }},
        {"UXFLOW_LOCKOUT_BASE_S", "17", [](const Config& c) { return c.identity.lock_base == 17 * kSecond; }},
        {"UXFLOW_LOCKOUT_MAX_S", "18", [](const Config& c) { return c.identity.lock_max == 18 * kSecond; }},
        {"UXFLOW_ACCESS_TOKEN_TTL_S", "61", [](const Config& c) { return c.identity.access_ttl == 61 * kSecond; }},
        {"UXFLOW_REFRESH_TOKEN_TTL_S", "3601",
         [](const Config& c) { return c.identity.refresh_ttl == 3601 * kSecond; }},
        {"UXFLOW_PASSWORD_RESET_TTL_S", "301",
         [](const Config& c) { return c.identity.reset_token_ttl == 301 * kSecond; }},
        {"UXFLOW_PASSWORD_MIN_CHARS", "19", [](const Config& c) { return c.identity.password_min == 19; }},
        {"UXFLOW_PASSWORD_MAX_CHARS", "200", [](const Config& c) { return c.identity.password_max == 200; }},
        {"UXFLOW_PASSWORD_HASH_PASSES", "3", [](const Config& c) { return c.identity.hashing.ops_limit == 3; }},
        {"UXFLOW_PASSWORD_HASH_MEMORY_BYTES", "33554432",
         [](const Config& c) { return c.identity.hashing.mem_limit_bytes == 32u << 20; }},
        {"UXFLOW_PUBLIC_URL", "https://p", [](const Config& c) { return c.identity.public_url == "https://p"; }},
        {"UXFLOW_TOTP_ISSUER", "Acme", [](const Config& c) { return c.identity.totp_issuer == "Acme"; }},
        {"UXFLOW_SMTP_URL", "smtp://m:25", [](const Config& c) { return c.smtp.url == "smtp://m:25"; }},
        {"UXFLOW_SMTP_FROM", "a@b", [](const Config& c) { return c.smtp.from == "a@b"; }},
        {"UXFLOW_SMTP_USERNAME", "u", [](const Config& c) { return c.smtp.username == "u"; }},
        {"UXFLOW_SMTP_PASSWORD", "p", [](const Config& c) { return c.smtp.password == "p"; }},
        {"UXFLOW_SMTP_TIMEOUT_MS", "1001", [](const Config& c) { return c.smtp.timeout_ms == 1001; }},
        {"UXFLOW_MAX_NODES_PER_FLOW", "20", [](const Config& c) { return c.flows.max_nodes == 20; }},
        {"UXFLOW_MAX_EDGES_PER_FLOW", "21", [](const Config& c) { return c.flows.max_edges == 21; }},
        {"UXFLOW_MAX_FLOWS_PER_WORKSPACE", "22", [](const Config& c) { return c.flows.max_flows_per_workspace == 22; }},
        {"UXFLOW_MAX_LABEL_CHARS", "23", [](const Config& c) { return c.flows.max_label_chars == 23; }},
        {"UXFLOW_MAX_NODE_DATA_BYTES", "24", [](const Config& c) { return c.flows.max_data_bytes == 24; }},
        {"UXFLOW_MAX_FLOW_NAME_CHARS", "25", [](const Config& c) { return c.flows.max_name_chars == 25; }},
        {"UXFLOW_MAX_FLOW_DESCRIPTION_CHARS", "26",
         [](const Config& c) { return c.flows.max_description_chars == 26; }},
        {"UXFLOW_EXPORT_CACHE_BYTES", "27", [](const Config& c) { return c.flows.export_cache_bytes == 27; }},
        {"UXFLOW_GRAPH_CACHE_BYTES", "28", [](const Config& c) { return c.flows.graph_cache_bytes == 28; }},
        {"UXFLOW_MAX_DOCUMENT_BYTES", "35", [](const Config& c) { return c.knowledge.max_document_bytes == 35; }},
        {"UXFLOW_MAX_DOCUMENTS_PER_WORKSPACE", "36",
         [](const Config& c) { return c.knowledge.max_documents_per_workspace == 36; }},
        {"UXFLOW_MAX_DOCUMENT_TITLE_CHARS", "37", [](const Config& c) { return c.knowledge.max_title_chars == 37; }},
        {"UXFLOW_CHUNK_MIN_WORDS", "38", [](const Config& c) { return c.knowledge.chunk_min_words == 38; }},
        {"UXFLOW_CHUNK_MAX_WORDS", "39", [](const Config& c) { return c.knowledge.chunk_max_words == 39; }},
        {"UXFLOW_CHUNK_OVERLAP_WORDS", "40", [](const Config& c) { return c.knowledge.chunk_overlap_words == 40; }},
        {"UXFLOW_MAX_SEARCH_K", "41", [](const Config& c) { return c.knowledge.max_search_k == 41; }},
        {"UXFLOW_VECTOR_INDEX_BYTES", "4100000",
         [](const Config& c) { return c.knowledge.vector_index_bytes == 4'100'000; }},
        {"UXFLOW_VECTOR_EXACT_BELOW", "4200", [](const Config& c) { return c.knowledge.vector_exact_below == 4200; }},
        {"UXFLOW_VECTORS_FILE", "/tmp/v.vectors",
         [](const Config& c) { return c.knowledge.vectors_file == "/tmp/v.vectors"; }},
        {"UXFLOW_EMBEDDINGS_PROVIDER", "gemini",
         [](const Config& c) { return c.knowledge.embeddings.provider == "gemini"; }},
        {"UXFLOW_EMBEDDINGS_MODEL", "m", [](const Config& c) { return c.knowledge.embeddings.model == "m"; }},
        {"UXFLOW_EMBEDDINGS_BASE_URL", "http://e",
         [](const Config& c) { return c.knowledge.embeddings.base_url == "http://e"; }},
        {"UXFLOW_EMBEDDINGS_API_KEY", "sk", [](const Config& c) { return c.knowledge.embeddings.api_key == "sk"; }},
        {"UXFLOW_EMBEDDINGS_DIMENSIONS", "42", [](const Config& c) { return c.knowledge.embeddings.dimensions == 42; }},
        {"UXFLOW_EMBEDDINGS_BATCH", "43", [](const Config& c) { return c.knowledge.embeddings.batch == 43; }},
        {"UXFLOW_EMBEDDINGS_TIMEOUT_MS", "4400",
         [](const Config& c) { return c.knowledge.embeddings.timeout_ms == 4400; }},
        {"UXFLOW_EMBEDDINGS_QUERY_TIMEOUT_MS", "4500",
         [](const Config& c) { return c.knowledge.embeddings.query_timeout_ms == 4500; }},
        {"UXFLOW_FREE_MONTHLY_CREDITS", "51", [](const Config& c) { return c.billing.free_monthly_credits == 51; }},
        {"UXFLOW_PRO_MONTHLY_CREDITS", "52", [](const Config& c) { return c.billing.pro_monthly_credits == 52; }},
        {"UXFLOW_TEAM_MONTHLY_CREDITS", "53", [](const Config& c) { return c.billing.team_monthly_credits == 53; }},
        {"UXFLOW_STRIPE_PRICE_PRO_MONTHLY", "price_p",
         [](const Config& c) { return c.billing.pro_price_id == "price_p"; }},
        {"UXFLOW_STRIPE_PRICE_TEAM_MONTHLY", "price_t",
         [](const Config& c) { return c.billing.team_price_id == "price_t"; }},
        {"UXFLOW_STRIPE_PRICE_CREDITS_1000", "price_1",
         [](const Config& c) { return c.billing.credits_1000_price_id == "price_1"; }},
        {"UXFLOW_STRIPE_PRICE_CREDITS_5000", "price_5",
         [](const Config& c) { return c.billing.credits_5000_price_id == "price_5"; }},
        {"UXFLOW_CREDIT_HOLD_TIMEOUT_S", "540",
         [](const Config& c) { return c.billing.hold_timeout == 540 * kSecond; }},
        {"UXFLOW_STRIPE_API_BASE", "http://s", [](const Config& c) { return c.billing.stripe_api_base == "http://s"; }},
        {"UXFLOW_STRIPE_SECRET_KEY", "sk_test_1",
         [](const Config& c) { return c.billing.stripe_secret_key == "sk_test_1"; }},
        {"UXFLOW_STRIPE_WEBHOOK_SECRET", "whsec_a, whsec_b",
         [](const Config& c) {
             return c.billing.stripe_webhook_secrets == std::vector<std::string>{"whsec_a", "whsec_b"};
         }},
        {"UXFLOW_STRIPE_WEBHOOK_TOLERANCE_S", "55",
         [](const Config& c) { return c.billing.webhook_tolerance == 55 * kSecond; }},
        {"UXFLOW_AI_DEFAULT_PROVIDER", "gemini", [](const Config& c) { return c.ai.default_provider == "gemini"; }},
        {"UXFLOW_AI_OPENAI_BASE_URL", "http://o", [](const Config& c) { return c.ai.openai.base_url == "http://o"; }},
        {"UXFLOW_AI_OPENAI_API_KEY", "sk-o", [](const Config& c) { return c.ai.openai.api_key == "sk-o"; }},
        {"UXFLOW_AI_OPENAI_MODEL", "m-o", [](const Config& c) { return c.ai.openai.model == "m-o"; }},
        {"UXFLOW_AI_OPENAI_CREDITS", "61", [](const Config& c) { return c.ai.openai.credits == 61; }},
        {"UXFLOW_AI_ANTHROPIC_BASE_URL", "http://a",
         [](const Config& c) { return c.ai.anthropic.base_url == "http://a"; }},
        {"UXFLOW_AI_ANTHROPIC_API_KEY", "sk-a", [](const Config& c) { return c.ai.anthropic.api_key == "sk-a"; }},
        {"UXFLOW_AI_ANTHROPIC_MODEL", "m-a", [](const Config& c) { return c.ai.anthropic.model == "m-a"; }},
        {"UXFLOW_AI_ANTHROPIC_CREDITS", "62", [](const Config& c) { return c.ai.anthropic.credits == 62; }},
        {"UXFLOW_AI_GEMINI_BASE_URL", "http://g", [](const Config& c) { return c.ai.gemini.base_url == "http://g"; }},
        {"UXFLOW_AI_GEMINI_API_KEY", "k-g", [](const Config& c) { return c.ai.gemini.api_key == "k-g"; }},
        {"UXFLOW_AI_GEMINI_MODEL", "m-g", [](const Config& c) { return c.ai.gemini.model == "m-g"; }},
        {"UXFLOW_AI_GEMINI_CREDITS", "63", [](const Config& c) { return c.ai.gemini.credits == 63; }},
        {"UXFLOW_AI_OPENAI_COMPATIBLE_BASE_URL", "http://l",
         [](const Config& c) { return c.ai.openai_compatible.base_url == "http://l"; }},
        {"UXFLOW_AI_OPENAI_COMPATIBLE_API_KEY", "k-l",
         [](const Config& c) { return c.ai.openai_compatible.api_key == "k-l"; }},
        {"UXFLOW_AI_OPENAI_COMPATIBLE_MODEL", "llama",
         [](const Config& c) { return c.ai.openai_compatible.model == "llama"; }},
        {"UXFLOW_AI_OPENAI_COMPATIBLE_CREDITS", "64",
         [](const Config& c) { return c.ai.openai_compatible.credits == 64; }},
        {"UXFLOW_AI_PLANNER_CREDITS", "65", [](const Config& c) { return c.ai.planner_credits == 65; }},
        {"UXFLOW_AI_TIMEOUT_MS", "6600", [](const Config& c) { return c.ai.timeout_ms == 6600; }},
        {"UXFLOW_AI_MAX_ATTEMPTS", "7", [](const Config& c) { return c.ai.max_attempts == 7; }},
        {"UXFLOW_AI_MAX_OUTPUT_TOKENS", "6800", [](const Config& c) { return c.ai.max_output_tokens == 6800; }},
        {"UXFLOW_AI_MAX_REPAIRS", "4", [](const Config& c) { return c.ai.max_repairs == 4; }},
        {"UXFLOW_AI_BREAKER_FAILURES", "69", [](const Config& c) { return c.ai.breaker_failures == 69; }},
        {"UXFLOW_AI_BREAKER_COOLDOWN_S", "70", [](const Config& c) { return c.ai.breaker_cooldown == 70 * kSecond; }},
        {"UXFLOW_AI_WAIT_TIMEOUT_S", "71", [](const Config& c) { return c.ai.wait_timeout == 71 * kSecond; }},
        {"UXFLOW_AI_MAX_PROMPT_CHARS", "72", [](const Config& c) { return c.ai.max_prompt_chars == 72; }},
        {"UXFLOW_AI_KNOWLEDGE_EXCERPTS", "7", [](const Config& c) { return c.ai.knowledge_excerpts == 7; }},
        {"UXFLOW_AI_LOG_PROMPTS", "true", [](const Config& c) { return c.ai.log_prompts; }},
        {"UXFLOW_JOB_WORKERS", "29", [](const Config& c) { return c.jobs.workers == 29; }},
        {"UXFLOW_JOB_LEASE_S", "30", [](const Config& c) { return c.jobs.lease == 30 * kSecond; }},
        {"UXFLOW_JOB_POLL_MS", "31", [](const Config& c) { return c.jobs.poll_ms == 31; }},
        {"UXFLOW_JOB_MAX_ATTEMPTS", "32", [](const Config& c) { return c.jobs.max_attempts == 32; }},
        {"UXFLOW_JOB_RETRY_S", "33", [](const Config& c) { return c.jobs.retry_delay == 33 * kSecond; }},
        {"UXFLOW_JOB_MAX_RETRY_S", "34", [](const Config& c) { return c.jobs.max_retry_delay == 34 * kSecond; }},
        {"UXFLOW_LOG_LEVEL", "debug", [](const Config& c) { return c.log.level == "debug"; }},
        {"UXFLOW_LOG_FORMAT", "json", [](const Config& c) { return c.log.format == "json"; }},
    };
    std::set<std::string> covered;
    for (const auto& [env, value, check] : cases) {
        setenv(env.c_str(), value.c_str(), 1);
        try {
            EXPECT_TRUE(check(LoadConfig(std::nullopt, Secrets::kAsGiven))) << env << "=" << value;
        } catch (const std::invalid_argument& e) {
            ADD_FAILURE() << e.what();
        }
        unsetenv(env.c_str());
        covered.insert(env);
    }
    for (const auto& s : Settings()) EXPECT_TRUE(covered.contains(Env(s))) << Env(s) << " has no case here";
    EXPECT_EQ(covered.size(), Settings().size());
}

TEST_F(SettingsTableTest, OutOfRangeAndMalformedValuesAreRefusedNamingTheVariable) {
    for (const auto& s : Settings()) {
        const auto& spec = *s.spec;
        std::vector<std::string> bad;
        switch (spec.kind) {
            case Kind::kInteger:
            case Kind::kSeconds:
            case Kind::kNumber:
                bad = {std::to_string(spec.min - 1), std::to_string(spec.max + 1), "lots"};
                break;
            case Kind::kBool:
                bad = {"maybe"};
                break;
            case Kind::kChoice:
                bad = {"loud"};
                break;
            case Kind::kText:
            case Kind::kList:
                continue;  // any text
        }
        for (const auto& value : bad) {
            SCOPED_TRACE(Env(s) + "=" + value);
            setenv(Env(s).c_str(), value.c_str(), 1);
            try {
                LoadConfig(std::nullopt, Secrets::kAsGiven);
                ADD_FAILURE() << "accepted";
            } catch (const std::invalid_argument& e) {
                EXPECT_TRUE(std::string(e.what()).starts_with(Env(s) + " must be ")) << e.what();
            }
            unsetenv(Env(s).c_str());
            try {
                ParseConfigToml(fmt::format("{} = '{}'", TomlKey(s), value));
                ADD_FAILURE() << "accepted in TOML";
            } catch (const std::invalid_argument& e) {
                EXPECT_TRUE(std::string(e.what()).starts_with(Env(s) + " must be ")) << e.what();
            }
        }
    }
}

TEST_F(SettingsTableTest, UnknownKeysAreRefusedByName) {
    try {
        ParseConfigToml("max_nodes = 5\n");
        FAIL() << "accepted an unknown key";
    } catch (const std::invalid_argument& e) {
        EXPECT_EQ(std::string(e.what()), "unknown setting UXFLOW_MAX_NODES");
    }
    EXPECT_THROW(ParseConfigToml("uxflow_listen = '0.0.0.0:1'\n"), std::invalid_argument);
    EXPECT_THROW(ParseConfigToml("postgres_schema = 'x'\n"), std::invalid_argument);  // a field without a variable
}

TEST_F(SettingsTableTest, MarkdownHasOneRowPerVariable) {
    std::string md = SettingsMarkdown();
    EXPECT_TRUE(md.starts_with("| variable | default | meaning |\n|---|---|---|\n"));
    std::size_t rows = 0;
    for (char ch : md) rows += ch == '\n';
    EXPECT_EQ(rows, Settings().size() + 2);
    EXPECT_NE(md.find("| `UXFLOW_MAX_BODY_BYTES` | 10485760 | Largest request body; larger ones answer 413. |\n"),
              std::string::npos);
    for (const auto& s : Settings()) {
        EXPECT_EQ(s.spec->description.find('|'), std::string_view::npos) << s.spec->variable;
        EXPECT_EQ(s.default_text.find('|'), std::string::npos) << s.spec->variable;
    }
}

}  // namespace
}  // namespace uxf::app
