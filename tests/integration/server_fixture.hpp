// Starts the real server (the composition root) on 127.0.0.1:0 against a fresh database, and talks HTTP to it.
#pragma once
#include <gtest/gtest.h>
#include <algorithm>

#include <filesystem>
#include <memory>

#include <boost/json.hpp>

#include "app.hpp"
#include "uxf/core/ids.hpp"
#include "uxf/platform/crypto.hpp"
#include "uxf/platform/http_client.hpp"
#include "uxf/testing/test_database.hpp"

namespace uxf::testing {

struct Reply {
    long status = 0;
    boost::json::value body;
    std::string raw;
    http::ClientResponse response;
    std::string Header(std::string_view name) const { return response.Header(name); }
    std::string Str(const char* key) const {
        const auto* v = body.is_object() ? body.as_object().if_contains(key) : nullptr;
        return v && v->is_string() ? std::string(v->as_string()) : "";
    }
    std::string Code() const { return Str("code"); }
};

class ServerTest : public ::testing::Test {
  protected:
    ServerTest() : dir_(std::filesystem::temp_directory_path() / NewId("uxftest")) {
        std::filesystem::create_directories(dir_);
    }
    ~ServerTest() override {
        app_.reset();
        std::filesystem::remove_all(dir_);
    }

    app::Config BaseConfig() {
        app::Config c;
        c.data_dir = dir_.string();
        c.log.level = "warn";
        c.gateway.listen = "127.0.0.1:0";
        c.gateway.workers = 2;
        c.gateway.rate_limit.auth_per_hour = 100000;
        c.gateway.rate_limit.auth_burst = 10000;
        c.identity.jwt_secret = std::string(48, 'j');
        c.identity.secret_key = crypto::SecretBox::NewKey();
        if (TestDatabase::UsingPostgres()) {
            c.db = tdb_.settings();
        } else {
            c.db.url = "sqlite://" + (dir_ / "uxflow.db").string();
            c.db.pool_size = 4;
        }
        return c;
    }

    void Start(app::Config config) {
        config_ = config;
        app_ = std::make_unique<app::App>(std::move(config));
        app_->Start();
        base_ = "http://127.0.0.1:" + std::to_string(app_->port());
    }

    Reply Call(const std::string& method, const std::string& path, const std::string& body = "",
               const std::string& token = "", std::vector<std::pair<std::string, std::string>> headers = {}) {
        http::ClientRequest req{method, base_ + path, std::move(headers), body, 15000};
        bool typed = std::any_of(req.headers.begin(), req.headers.end(),
                                 [](const auto& h) { return h.first == "Content-Type"; });
        if (!body.empty() && !typed) req.headers.emplace_back("Content-Type", "application/json");
        if (!token.empty()) req.headers.emplace_back("Authorization", "Bearer " + token);
        req.headers.emplace_back("User-Agent", "uxflow-integration-test");
        Reply r;
        r.response = client_.Send(req);
        r.status = r.response.status;
        r.raw = r.response.body;
        boost::system::error_code ec;
        if (!r.raw.empty()) r.body = boost::json::parse(r.raw, ec);
        return r;
    }

    static std::string Json(const boost::json::object& o) { return boost::json::serialize(o); }

    struct Account {
        std::string email, access, refresh, user_id, workspace_id;
    };
    Account Register(const std::string& email, const std::string& password = "correct horse battery") {
        auto r =
            Call("POST", "/v1/auth/register", Json({{"email", email}, {"password", password}, {"name", "Tester"}}));
        EXPECT_EQ(r.status, 201) << r.raw;
        const auto& o = r.body.as_object();
        return {email, r.Str("access_token"), r.Str("refresh_token"), std::string(o.at("user").at("id").as_string()),
                std::string(o.at("workspace").at("id").as_string())};
    }

    TestDatabase tdb_;
    std::filesystem::path dir_;
    app::Config config_;
    std::unique_ptr<app::App> app_;
    std::string base_;
    http::HttpClient client_;
};

}  // namespace uxf::testing
