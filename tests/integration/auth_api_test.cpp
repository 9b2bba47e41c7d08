// The Identity section of docs/api.md over real HTTP, including the attacks.
#include <jwt.h>

#include <chrono>
#include <mutex>
#include <utility>

#include "server_fixture.hpp"
#include "smtp_sink.hpp"
#include "uxf/core/strings.hpp"
#include "uxf/identity/totp.hpp"
#include "uxf/platform/crypto_test_hooks.hpp"

namespace uxf::testing {
namespace {

class AuthApiTest : public ServerTest {
  protected:
    void SetUp() override { Start(BaseConfig()); }

    std::string SignedToken(const std::string& secret, jwt_alg_t alg, long exp, const std::string& sub) {
        jwt_t* j = nullptr;
        jwt_new(&j);
        std::string claims = R"({"iss":"uxflow","aud":"uxflow-api","typ":"access","sid":"ses_x","sub":")" + sub +
                             R"(","iat":)" + std::to_string(exp - 900) + R"(,"exp":)" + std::to_string(exp) + "}";
        jwt_add_grants_json(j, claims.c_str());
        jwt_set_alg(j, alg, alg == JWT_ALG_NONE ? nullptr : reinterpret_cast<const unsigned char*>(secret.data()),
                    alg == JWT_ALG_NONE ? 0 : static_cast<int>(secret.size()));
        char* s = jwt_encode_str(j);
        std::string out = s ? s : "";
        free(s);
        jwt_free(j);
        return out;
    }
    static long Now() {
        return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
};

TEST_F(AuthApiTest, RegisterLoginMeRefreshLogout) {
    auto reg = Call("POST", "/v1/auth/register",
                    Json({{"email", "ada@example.com"}, {"password", "correct horse battery"}, {"name", "Ada"}}));
    ASSERT_EQ(reg.status, 201) << reg.raw;
    EXPECT_EQ(reg.Str("token_type"), "Bearer");
    EXPECT_EQ(reg.body.at("expires_in").as_int64(), 900);
    EXPECT_EQ(reg.body.at("workspace").at("role").as_string(), "owner");
    EXPECT_FALSE(reg.Header("X-Request-Id").empty());

    auto login =
        Call("POST", "/v1/auth/login", Json({{"email", "ada@example.com"}, {"password", "correct horse battery"}}));
    ASSERT_EQ(login.status, 200) << login.raw;
    EXPECT_FALSE(login.body.as_object().contains("workspace"));
    auto me = Call("GET", "/v1/me", "", login.Str("access_token"));
    ASSERT_EQ(me.status, 200);
    EXPECT_EQ(me.body.at("user").at("email").as_string(), "ada@example.com");
    ASSERT_EQ(me.body.at("workspaces").as_array().size(), 1u);
    EXPECT_EQ(me.body.at("workspaces").at(0).at("role").as_string(), "owner");

    auto refreshed = Call("POST", "/v1/auth/refresh", Json({{"refresh_token", login.Str("refresh_token")}}));
    ASSERT_EQ(refreshed.status, 200);
    EXPECT_NE(refreshed.Str("refresh_token"), login.Str("refresh_token"));
    EXPECT_EQ(Call("GET", "/v1/me", "", refreshed.Str("access_token")).status, 200);

    auto reused = Call("POST", "/v1/auth/refresh", Json({{"refresh_token", login.Str("refresh_token")}}));
    EXPECT_EQ(reused.status, 401);
    EXPECT_EQ(reused.Code(), "refresh_token_reused");
    EXPECT_EQ(Call("POST", "/v1/auth/refresh", Json({{"refresh_token", refreshed.Str("refresh_token")}})).status, 401);

    auto other =
        Call("POST", "/v1/auth/login", Json({{"email", "ada@example.com"}, {"password", "correct horse battery"}}));
    EXPECT_EQ(Call("POST", "/v1/auth/logout", Json({{"refresh_token", other.Str("refresh_token")}})).status, 204);
    EXPECT_EQ(Call("POST", "/v1/auth/refresh", Json({{"refresh_token", other.Str("refresh_token")}})).status, 401);
}

TEST_F(AuthApiTest, DuplicateEmailAndBadInput) {
    Register("ada@example.com");
    auto dup = Call("POST", "/v1/auth/register",
                    Json({{"email", "ADA@example.com"}, {"password", "another fine phrase"}, {"name", "A"}}));
    EXPECT_EQ(dup.status, 409);
    EXPECT_EQ(dup.Code(), "email_taken");
    EXPECT_EQ(dup.Header("Content-Type"), "application/problem+json");

    auto weak = Call("POST", "/v1/auth/register",
                     Json({{"email", "b@example.com"}, {"password", "password1234"}, {"name", "B"}}));
    EXPECT_EQ(weak.status, 400);
    EXPECT_EQ(weak.body.at("errors").at(0).at("field").as_string(), "password");

    auto types = Call("POST", "/v1/auth/register", R"({"email": 5, "password": ["x"], "name": null})");
    EXPECT_EQ(types.status, 400);
    EXPECT_EQ(types.body.at("errors").as_array().size(), 3u);

    for (const char* body : {"{not json", "[1,2]", "\"str\"", "{\"email\":\"a\"", "\xff\xfe"}) {
        auto r = Call("POST", "/v1/auth/login", body);
        EXPECT_EQ(r.status, 400) << body;
        EXPECT_EQ(r.Code(), "invalid_json") << body;
    }
}

TEST_F(AuthApiTest, NoEnumerationByAnswerOrWork) {
    Register("ada@example.com");
    // The work is compared, not the time: the Argon2id verifications each login runs (on the hashing threads).
    std::mutex mu;
    std::vector<std::string> verified;
    crypto::SetPasswordHashObserver([&](crypto::HashWork work, std::string_view phc) {
        std::lock_guard lock(mu);
        if (work == crypto::HashWork::kVerify) verified.emplace_back(phc);
    });
    auto take = [&] {
        std::lock_guard lock(mu);
        return std::exchange(verified, {});
    };
    auto known =
        Call("POST", "/v1/auth/login", Json({{"email", "ada@example.com"}, {"password", "wrong horse battery"}}));
    auto for_known = take();
    auto unknown =
        Call("POST", "/v1/auth/login",
             Json({{"email", "nobody-" + NewId("x") + "@example.com"}, {"password", "wrong horse battery"}}));
    auto for_unknown = take();
    crypto::SetPasswordHashObserver(nullptr);
    EXPECT_EQ(known.status, 401);
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(known.Code(), "invalid_credentials");
    EXPECT_EQ(known.Str("detail"), unknown.Str("detail"));
    ASSERT_EQ(for_known.size(), 1u);
    ASSERT_EQ(for_unknown.size(), 1u);
    // Same algorithm and cost ("$argon2id$v=19$m=19456,t=2,p=1$"), different hash.
    auto cost = [](const std::string& phc) { return phc.substr(0, phc.find('$', phc.find("$m=") + 1) + 1); };
    EXPECT_EQ(cost(for_unknown[0]), cost(for_known[0]));
    EXPECT_EQ(cost(for_known[0]), "$argon2id$v=19$m=19456,t=2,p=1$");
    EXPECT_NE(for_unknown[0], for_known[0]);
    auto forgot_known = Call("POST", "/v1/auth/password/forgot", Json({{"email", "ada@example.com"}}));
    auto forgot_unknown = Call("POST", "/v1/auth/password/forgot", Json({{"email", "nobody@example.com"}}));
    EXPECT_EQ(forgot_known.status, 202);
    EXPECT_EQ(forgot_unknown.status, 202);
    EXPECT_EQ(forgot_known.raw, forgot_unknown.raw);
}

TEST_F(AuthApiTest, ForgedNoneExpiredAndMisdirectedTokensAre401) {
    auto acct = Register("ada@example.com");
    const std::string& secret = config_.identity.jwt_secret;
    long later = Now() + 600;
    EXPECT_EQ(Call("GET", "/v1/me", "", SignedToken(secret, JWT_ALG_HS256, later, acct.user_id)).status, 200);
    struct Case {
        const char* what;
        std::string token;
    } cases[] = {
        {"expired", SignedToken(secret, JWT_ALG_HS256, Now() - 5, acct.user_id)},
        {"alg none", SignedToken("", JWT_ALG_NONE, later, acct.user_id)},
        {"HS512 with the same key", SignedToken(secret, JWT_ALG_HS512, later, acct.user_id)},
        {"another key", SignedToken(std::string(48, 'x'), JWT_ALG_HS256, later, acct.user_id)},
        {"garbage", "abc.def.ghi"},
        {"hand-made none",
         Base64UrlEncode(AsBytes(R"({"alg":"none"})")) + "." +
             Base64UrlEncode(
                 AsBytes(R"({"sub":")" + acct.user_id +
                         R"(","exp":9999999999,"iss":"uxflow","aud":"uxflow-api","typ":"access","sid":"s"})")) +
             "."},
    };
    for (const auto& c : cases) {
        auto r = Call("GET", "/v1/me", "", c.token);
        EXPECT_EQ(r.status, 401) << c.what;
        EXPECT_EQ(r.Code(), "invalid_token") << c.what;
    }
    EXPECT_EQ(Call("GET", "/v1/me").status, 401);
    EXPECT_EQ(Call("GET", "/v1/me", "", "", {{"Authorization", "Basic YTpi"}}).status, 401);
}

TEST_F(AuthApiTest, LockoutAnswers423WithRetryAfterEvenForTheRightPassword) {
    Register("ada@example.com");
    for (int i = 0; i < 5; ++i)
        Call("POST", "/v1/auth/login", Json({{"email", "ada@example.com"}, {"password", "wrong horse battery"}}));
    auto r =
        Call("POST", "/v1/auth/login", Json({{"email", "ada@example.com"}, {"password", "correct horse battery"}}));
    EXPECT_EQ(r.status, 423);
    EXPECT_EQ(r.Code(), "account_locked");
    EXPECT_EQ(r.Header("Retry-After"), "60");
    auto metrics = Call("GET", "/metrics");
    EXPECT_NE(metrics.raw.find("uxflow_login_failures_total 5"), std::string::npos) << metrics.raw;
    EXPECT_NE(metrics.raw.find("uxflow_lockouts_total 1"), std::string::npos);
}

TEST_F(AuthApiTest, TwoFactorOverHttp) {
    auto acct = Register("ada@example.com");
    auto setup = Call("POST", "/v1/auth/2fa/setup", "", acct.access);
    ASSERT_EQ(setup.status, 200) << setup.raw;
    auto seed = *Base32Decode(setup.Str("secret"));
    auto code_now = [&] { return identity::Hotp(seed, identity::TotpStep(Now())); };
    EXPECT_TRUE(setup.Str("otpauth_uri").starts_with("otpauth://totp/"));
    auto enable = Call("POST", "/v1/auth/2fa/enable", Json({{"code", code_now()}}), acct.access);
    ASSERT_EQ(enable.status, 200) << enable.raw;
    ASSERT_EQ(enable.body.at("recovery_codes").as_array().size(), 10u);
    auto need =
        Call("POST", "/v1/auth/login", Json({{"email", "ada@example.com"}, {"password", "correct horse battery"}}));
    EXPECT_EQ(need.status, 401);
    EXPECT_EQ(need.Code(), "mfa_required");
    std::string recovery(enable.body.at("recovery_codes").at(0).as_string());
    auto with_recovery =
        Call("POST", "/v1/auth/login",
             Json({{"email", "ada@example.com"}, {"password", "correct horse battery"}, {"recovery_code", recovery}}));
    EXPECT_EQ(with_recovery.status, 200);
    auto again =
        Call("POST", "/v1/auth/login",
             Json({{"email", "ada@example.com"}, {"password", "correct horse battery"}, {"recovery_code", recovery}}));
    EXPECT_EQ(again.status, 401);
}

TEST_F(AuthApiTest, SessionsListAndRevoke) {
    auto acct = Register("ada@example.com");
    auto second =
        Call("POST", "/v1/auth/login", Json({{"email", "ada@example.com"}, {"password", "correct horse battery"}}));
    auto list = Call("GET", "/v1/auth/sessions", "", acct.access);
    ASSERT_EQ(list.status, 200);
    const auto& items = list.body.at("items").as_array();
    ASSERT_EQ(items.size(), 2u);
    std::string other_id;
    for (const auto& s : items)
        if (!s.at("current").as_bool()) other_id = std::string(s.at("id").as_string());
    ASSERT_FALSE(other_id.empty());
    EXPECT_EQ(Call("DELETE", "/v1/auth/sessions/" + other_id, "", acct.access).status, 204);
    EXPECT_EQ(Call("DELETE", "/v1/auth/sessions/" + other_id, "", acct.access).status, 404);
    EXPECT_EQ(Call("POST", "/v1/auth/refresh", Json({{"refresh_token", second.Str("refresh_token")}})).status, 401);
}

class AuthMailTest : public ServerTest {};

TEST_F(AuthMailTest, PasswordResetMailIsDeliveredOverSmtpAndTheTokenWorksOnce) {
    SmtpSink sink;
    auto config = BaseConfig();
    config.smtp.url = "smtp://127.0.0.1:" + std::to_string(sink.port());
    config.smtp.from = "UX-Flow-Engine <no-reply@uxflow.test>";
    Start(config);
    auto acct = Register("ada@example.com");
    ASSERT_EQ(Call("POST", "/v1/auth/password/forgot", Json({{"email", "ada@example.com"}})).status, 202);
    auto mails = sink.WaitFor(1, 10000);
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_EQ(mails[0].to.at(0), "<ada@example.com>");
    EXPECT_EQ(mails[0].from, "<no-reply@uxflow.test>");
    auto pos = mails[0].data.find("token=");
    ASSERT_NE(pos, std::string::npos) << mails[0].data;
    std::string token = mails[0].data.substr(pos + 6, mails[0].data.find('\n', pos) - pos - 6);
    auto reset =
        Call("POST", "/v1/auth/password/reset", Json({{"token", token}, {"password", "a fresh new passphrase"}}));
    EXPECT_EQ(reset.status, 204) << reset.raw;
    EXPECT_EQ(Call("POST", "/v1/auth/refresh", Json({{"refresh_token", acct.refresh}})).status, 401);
    EXPECT_EQ(
        Call("POST", "/v1/auth/password/reset", Json({{"token", token}, {"password", "yet another phrase"}})).status,
        400);
    EXPECT_EQ(
        Call("POST", "/v1/auth/login", Json({{"email", "ada@example.com"}, {"password", "a fresh new passphrase"}}))
            .status,
        200);
}

class AuthRateLimitTest : public ServerTest {};

TEST_F(AuthRateLimitTest, SignUpsPerIpAreLimited) {
    auto config = BaseConfig();
    config.gateway.rate_limit.auth_per_hour = 30;
    config.gateway.rate_limit.auth_burst = 3;
    Start(config);
    for (int i = 0; i < 3; ++i) Register("user" + std::to_string(i) + "@example.com");
    auto r = Call("POST", "/v1/auth/register",
                  Json({{"email", "late@example.com"}, {"password", "correct horse battery"}, {"name", "L"}}));
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(r.Code(), "rate_limited");
    EXPECT_FALSE(r.Header("Retry-After").empty());
}

}  // namespace
}  // namespace uxf::testing
