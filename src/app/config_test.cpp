#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "config.hpp"
#include "uxf/core/ids.hpp"

namespace uxf::app {
namespace {

class ConfigTest : public ::testing::Test {
  protected:
    ConfigTest() : dir_(std::filesystem::temp_directory_path() / NewId("cfg")) {
        std::filesystem::create_directories(dir_);
        UnsetAll();
        setenv("UXFLOW_DATA_DIR", (dir_ / "data").c_str(), 1);
    }
    ~ConfigTest() override {
        UnsetAll();
        std::filesystem::remove_all(dir_);
    }
    static void UnsetAll() {
        for (const auto& s : Settings()) unsetenv(std::string(s.spec->variable).c_str());
    }
    std::string WriteToml(const std::string& text) {
        auto path = (dir_ / "uxflow.toml").string();
        std::ofstream(path) << text;
        return path;
    }
    std::filesystem::path dir_;
};

TEST_F(ConfigTest, DefaultsAreTheEmbeddedModeWithSecretsKeptInTheDataDir) {
    auto c = LoadConfig(std::nullopt);
    EXPECT_EQ(c.gateway.listen, "127.0.0.1:8080");
    EXPECT_EQ(c.gateway.max_body_bytes, 10u << 20);
    EXPECT_EQ(c.db.url, "sqlite://" + (dir_ / "data" / "uxflow.db").string());
    EXPECT_GE(c.identity.jwt_secret.size(), 32u);
    struct stat st {};
    ASSERT_EQ(::stat((dir_ / "data" / "jwt_secret").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600);
    ASSERT_EQ(::stat((dir_ / "data" / "secret_key").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600);
    auto again = LoadConfig(std::nullopt);  // the same secrets next time
    EXPECT_EQ(again.identity.jwt_secret, c.identity.jwt_secret);
    EXPECT_EQ(again.identity.secret_key, c.identity.secret_key);
}

TEST_F(ConfigTest, TomlFileThenEnvironmentWins) {
    auto path = WriteToml(
        "listen = \"0.0.0.0:9000\"\nworkers = 3\ncors_origins = \"https://a.example, https://b.example\"\n"
        "trust_proxy = true\nrate_limit_ip_rps = 12.5\n");
    setenv("UXFLOW_WORKERS", "5", 1);
    auto c = LoadConfig(path);
    EXPECT_EQ(c.gateway.listen, "0.0.0.0:9000");
    EXPECT_EQ(c.gateway.workers, 5u);
    EXPECT_EQ(c.gateway.cors_origins, (std::vector<std::string>{"https://a.example", "https://b.example"}));
    EXPECT_TRUE(c.gateway.trust_proxy);
    EXPECT_DOUBLE_EQ(c.gateway.rate_limit.ip_rps, 12.5);
}

TEST_F(ConfigTest, BadValuesNameTheSetting) {
    setenv("UXFLOW_WORKERS", "lots", 1);
    try {
        LoadConfig(std::nullopt);
        FAIL() << "accepted a bad value";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("UXFLOW_WORKERS"), std::string::npos) << e.what();
    }
    unsetenv("UXFLOW_WORKERS");
    EXPECT_THROW(LoadConfig(WriteToml("no_such_setting = 1\n")), std::invalid_argument);
    EXPECT_THROW(LoadConfig(WriteToml("listen = [1, 2]\n")), std::invalid_argument);
    EXPECT_THROW(LoadConfig(WriteToml("this is not toml")), std::invalid_argument);
    setenv("UXFLOW_JWT_SECRET", "short", 1);
    EXPECT_THROW(LoadConfig(std::nullopt), std::invalid_argument);
}

TEST_F(ConfigTest, SharedDatabaseNeedsExplicitSecrets) {
    setenv("UXFLOW_DATABASE_URL", "postgres://u@127.0.0.1:1/db", 1);
    EXPECT_THROW(LoadConfig(std::nullopt), std::invalid_argument);
    setenv("UXFLOW_JWT_SECRET", std::string(40, 'j').c_str(), 1);
    setenv("UXFLOW_SECRET_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 1);
    EXPECT_EQ(LoadConfig(std::nullopt).db.url, "postgres://u@127.0.0.1:1/db");
}

TEST_F(ConfigTest, SecretsAsGivenNeedNoneAndWriteNothing) {
    setenv("UXFLOW_DATABASE_URL", "postgres://u@127.0.0.1:1/db", 1);
    EXPECT_EQ(LoadConfig(std::nullopt, Secrets::kAsGiven).db.url, "postgres://u@127.0.0.1:1/db");
    unsetenv("UXFLOW_DATABASE_URL");
    auto c = LoadConfig(std::nullopt, Secrets::kAsGiven);
    EXPECT_EQ(c.db.url, "sqlite://" + (dir_ / "data" / "uxflow.db").string());
    EXPECT_TRUE(c.identity.jwt_secret.empty());
    EXPECT_FALSE(std::filesystem::exists(dir_ / "data"));
}

TEST_F(ConfigTest, EmbeddingSettingsThatCannotWorkAreRefusedAtStart) {
    auto refused = [](std::string_view names) {
        try {
            LoadConfig(std::nullopt);
            ADD_FAILURE() << "accepted";
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find(names), std::string::npos) << e.what();
        }
    };
    setenv("UXFLOW_EMBEDDINGS_PROVIDER", "openai", 1);
    refused("UXFLOW_EMBEDDINGS_API_KEY is required with UXFLOW_EMBEDDINGS_PROVIDER=openai");
    EXPECT_NO_THROW(LoadConfig(std::nullopt, Secrets::kAsGiven));  // commands that embed nothing do not care
    setenv("UXFLOW_EMBEDDINGS_API_KEY", "sk-x", 1);
    EXPECT_EQ(LoadConfig(std::nullopt).knowledge.embeddings.api_key, "sk-x");
    setenv("UXFLOW_EMBEDDINGS_PROVIDER", "openai-compatible", 1);
    setenv("UXFLOW_EMBEDDINGS_MODEL", "nomic-embed-text", 1);
    refused("UXFLOW_EMBEDDINGS_BASE_URL is required");
    setenv("UXFLOW_EMBEDDINGS_BASE_URL", "http://127.0.0.1:11434", 1);
    EXPECT_NO_THROW(LoadConfig(std::nullopt));
    setenv("UXFLOW_EMBEDDINGS_PROVIDER", "cohere", 1);
    refused("UXFLOW_EMBEDDINGS_PROVIDER must be one of local, openai, openai-compatible, gemini");
}

TEST_F(ConfigTest, ParsesTomlTextAloneWithoutEnvironmentOrDisk) {
    setenv("UXFLOW_WORKERS", "7", 1);
    Config c = ParseConfigToml("workers = 3\nlisten = \"0.0.0.0:9000\"\ntrust_proxy = true\n");
    EXPECT_EQ(c.gateway.workers, 3u);  // the environment is not read
    EXPECT_EQ(c.gateway.listen, "0.0.0.0:9000");
    EXPECT_TRUE(c.gateway.trust_proxy);
    EXPECT_FALSE(std::filesystem::exists(dir_ / "data"));  // nothing derived or written
    EXPECT_THROW(ParseConfigToml("workers = 0"), std::invalid_argument);
    EXPECT_THROW(ParseConfigToml("nope = 1"), std::invalid_argument);
    EXPECT_THROW(ParseConfigToml("workers = [1]"), std::invalid_argument);
    EXPECT_THROW(ParseConfigToml("workers = "), std::invalid_argument);  // a TOML syntax error
    // Found by fuzz/config_toml: a float out of an integer's range was converted by toml++ (undefined behaviour,
    // reported by UBSan); now it is read as a float and refused as a bad integer.
    EXPECT_THROW(ParseConfigToml("workers = 1.33333e+78"), std::invalid_argument);
    EXPECT_EQ(ParseConfigToml("workers = 4.0").gateway.workers, 4u);
}

}  // namespace
}  // namespace uxf::app
