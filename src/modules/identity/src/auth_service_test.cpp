#include "test_fixture.hpp"

#include "uxf/identity/mail_outbox.hpp"
#include "uxf/platform/database.hpp"

namespace uxf::identity {
namespace {

TEST_F(IdentityTest, RegisterCreatesUserPersonalWorkspaceAndTokens) {
    auto r = MustRegister("  Ada@Example.COM ");
    EXPECT_EQ(r.user.email, "ada@example.com");
    ASSERT_TRUE(r.workspace);
    EXPECT_EQ(r.workspace->role, Role::kOwner);
    EXPECT_TRUE(r.workspace->personal);
    EXPECT_EQ(r.tokens.expires_in, 900);
    auto claims = auth_.VerifyAccessToken(r.tokens.access_token);
    ASSERT_TRUE(claims.ok());
    EXPECT_EQ(claims->user_id, r.user.id);
    EXPECT_TRUE(HasEvent("user.registered"));
    EXPECT_EQ(events_.front().correlation_id, "req_test");
    auto me = auth_.Me(r.user.id);
    ASSERT_TRUE(me.ok());
    EXPECT_EQ(me->user.email, "ada@example.com");
    ASSERT_EQ(me->workspaces.size(), 1u);
    EXPECT_EQ(me->workspaces[0].id, r.workspace->id);
    EXPECT_EQ(me->workspaces[0].role, Role::kOwner);
    EXPECT_EQ(auth_.Me("usr_gone").error().code, ErrorCode::kUnauthorized);
    auto stored = tdb_.db().Read(
        [&](db::Tx& tx) { return tx.QueryOne("SELECT password_hash FROM users WHERE id = :id", {r.user.id})->Str(0); });
    EXPECT_TRUE(stored.starts_with("$argon2id$"));
}

TEST_F(IdentityTest, RegisterRefusesTakenEmailAndBadInputWithFieldErrors) {
    MustRegister("ada@example.com");
    auto again = auth_.Register({"ADA@example.com", "another good passphrase", "Ada"}, meta_);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().slug, "email_taken");
    auto bad = auth_.Register({"not-an-email", "short", ""}, meta_);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, ErrorCode::kInvalidInput);
    ASSERT_EQ(bad.error().errors.size(), 3u);
    EXPECT_EQ(bad.error().errors[0].field, "email");
    EXPECT_EQ(bad.error().errors[1].field, "name");
    EXPECT_EQ(bad.error().errors[2].field, "password");
}

TEST_F(IdentityTest, LoginUnknownEmailAndWrongPasswordLookTheSame) {
    MustRegister("ada@example.com");
    auto unknown = auth_.Login({"nobody@example.com", "correct horse battery"}, meta_);
    auto wrong = auth_.Login({"ada@example.com", "wrong horse battery"}, meta_);
    ASSERT_FALSE(unknown.ok());
    ASSERT_FALSE(wrong.ok());
    EXPECT_EQ(unknown.error().slug, "invalid_credentials");
    EXPECT_EQ(wrong.error().slug, unknown.error().slug);
    EXPECT_EQ(wrong.error().message, unknown.error().message);
    EXPECT_EQ(wrong.error().code, unknown.error().code);
    auto ok = auth_.Login({"ADA@example.com", "correct horse battery"}, meta_);
    ASSERT_TRUE(ok.ok());
    EXPECT_FALSE(ok->workspace);
    EXPECT_TRUE(HasEvent("auth.login_failed"));
    EXPECT_TRUE(HasEvent("auth.login_succeeded"));
}

TEST_F(IdentityTest, AccountLocksAfterFailuresEvenForTheRightPasswordThenUnlocks) {
    MustRegister("ada@example.com");
    for (int i = 0; i < settings_.account_lock_threshold; ++i)
        EXPECT_EQ(auth_.Login({"ada@example.com", "wrong horse battery"}, meta_).error().slug, "invalid_credentials");
    auto locked = auth_.Login({"ada@example.com", "correct horse battery"}, meta_);
    ASSERT_FALSE(locked.ok());
    EXPECT_EQ(locked.error().code, ErrorCode::kLocked);
    ASSERT_TRUE(locked.error().retry_after_s);
    EXPECT_EQ(*locked.error().retry_after_s, 60);
    EXPECT_TRUE(HasEvent("auth.locked"));
    clock_.Advance(61 * kSecond);
    EXPECT_TRUE(auth_.Login({"ada@example.com", "correct horse battery"}, meta_).ok());
}

TEST_F(IdentityTest, LocksGrowButNeverPassTheMaximum) {
    MustRegister("ada@example.com");
    std::vector<long long> waits;
    for (int lock = 0; lock < 6; ++lock) {
        meta_.ip = "10.0.1." + std::to_string(lock);  // many addresses, so only the account lock applies
        for (int i = 0; i < settings_.account_lock_threshold; ++i)
            (void)auth_.Login({"ada@example.com", "wrong horse battery"}, meta_);
        auto r = auth_.Login({"ada@example.com", "wrong horse battery"}, meta_);
        ASSERT_EQ(r.error().code, ErrorCode::kLocked);
        waits.push_back(*r.error().retry_after_s);
        clock_.Advance(*r.error().retry_after_s * kSecond);
    }
    EXPECT_EQ(waits, (std::vector<long long>{60, 120, 240, 480, 900, 900}));
    // A password reset clears the lock at once, so a targeted user always has a way back in.
    for (int i = 0; i < settings_.account_lock_threshold; ++i)
        (void)auth_.Login({"ada@example.com", "wrong horse battery"}, meta_);
    ASSERT_TRUE(auth_.Unlock("ada@example.com").ok());
    EXPECT_TRUE(auth_.Login({"ada@example.com", "correct horse battery"}, meta_).ok());
}

TEST_F(IdentityTest, IpIsRefusedAfterManyFailuresAcrossAccounts) {
    for (int i = 0; i < settings_.ip_lock_threshold; ++i)
        (void)auth_.Login({"user" + std::to_string(i) + "@example.com", "wrong horse battery"}, meta_);
    auto r = auth_.Login({"other@example.com", "wrong horse battery"}, meta_);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kRateLimited);
    EXPECT_TRUE(r.error().retry_after_s);
    RequestMeta elsewhere = meta_;
    elsewhere.ip = "10.0.0.2";
    EXPECT_EQ(auth_.Login({"other@example.com", "wrong horse battery"}, elsewhere).error().slug, "invalid_credentials");
}

TEST_F(IdentityTest, RefreshRotatesAndReuseRevokesTheFamily) {
    auto r = MustRegister("ada@example.com");
    auto first = auth_.Refresh(r.tokens.refresh_token, meta_);
    ASSERT_TRUE(first.ok());
    EXPECT_NE(first->refresh_token, r.tokens.refresh_token);
    auto second = auth_.Refresh(first->refresh_token, meta_);
    ASSERT_TRUE(second.ok());
    // The first token comes back: a thief or a replay. The family ends, including the newest token.
    auto reuse = auth_.Refresh(r.tokens.refresh_token, meta_);
    ASSERT_FALSE(reuse.ok());
    EXPECT_EQ(reuse.error().slug, "refresh_token_reused");
    EXPECT_TRUE(HasEvent("auth.refresh_token_reused"));
    auto after = auth_.Refresh(second->refresh_token, meta_);
    ASSERT_FALSE(after.ok());
    EXPECT_EQ(after.error().slug, "invalid_refresh_token");
    EXPECT_EQ(auth_.Refresh("made-up", meta_).error().slug, "invalid_refresh_token");
    // Another session of the same user is untouched.
    auto other = auth_.Login({"ada@example.com", "correct horse battery"}, meta_);
    EXPECT_TRUE(auth_.Refresh(other->tokens.refresh_token, meta_).ok());
}

TEST_F(IdentityTest, RefreshStopsAtTheAbsoluteLifetime) {
    auto r = MustRegister("ada@example.com");
    std::string token = r.tokens.refresh_token;
    for (int day = 0; day < 29; ++day) {
        clock_.Advance(kDay);
        auto next = auth_.Refresh(token, meta_);
        ASSERT_TRUE(next.ok()) << "day " << day;
        token = next->refresh_token;
    }
    clock_.Advance(kDay);
    EXPECT_EQ(auth_.Refresh(token, meta_).error().slug, "invalid_refresh_token");
}

TEST_F(IdentityTest, LogoutEndsTheSessionAndSessionsCanBeListedAndRevoked) {
    auto r = MustRegister("ada@example.com");
    auto other = auth_.Login({"ada@example.com", "correct horse battery"}, meta_);
    auto claims = auth_.VerifyAccessToken(r.tokens.access_token);
    auto sessions = auth_.ListSessions(r.user.id, claims->session_id);
    ASSERT_EQ(sessions->size(), 2u);
    int current = 0;
    for (const auto& s : *sessions) current += s.current;
    EXPECT_EQ(current, 1);
    ASSERT_TRUE(auth_.Logout(r.tokens.refresh_token, meta_).ok());
    EXPECT_FALSE(auth_.Refresh(r.tokens.refresh_token, meta_).ok());
    auto other_claims = auth_.VerifyAccessToken(other->tokens.access_token);
    EXPECT_EQ(auth_.RevokeSession("usr_someone_else", other_claims->session_id, meta_).error().code,
              ErrorCode::kNotFound);
    ASSERT_TRUE(auth_.RevokeSession(r.user.id, other_claims->session_id, meta_).ok());
    EXPECT_FALSE(auth_.Refresh(other->tokens.refresh_token, meta_).ok());
    EXPECT_TRUE(auth_.ListSessions(r.user.id, "")->empty());
}

TEST_F(IdentityTest, PasswordResetIsSingleUseAndRevokesSessions) {
    auto r = MustRegister("ada@example.com");
    ASSERT_TRUE(auth_.ForgotPassword("nobody@example.com", meta_).ok());  // no enumeration
    ASSERT_TRUE(auth_.ForgotPassword("ada@example.com", meta_).ok());
    std::vector<mail::Message> sent;
    MailOutbox outbox(tdb_.db(), clock_);
    EXPECT_EQ(outbox.DeliverDue([&](const mail::Message& m) { sent.push_back(m); }), 1);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].to, "ada@example.com");
    auto pos = sent[0].body.find("token=");
    ASSERT_NE(pos, std::string::npos);
    std::string token = sent[0].body.substr(pos + 6, sent[0].body.find('\n', pos) - pos - 6);
    EXPECT_EQ(outbox.DeliverDue([&](const mail::Message& m) { sent.push_back(m); }), 0);  // sent once

    auto weak = auth_.ResetPassword(token, "password1234", meta_);
    EXPECT_EQ(weak.error().code, ErrorCode::kInvalidInput);
    ASSERT_TRUE(auth_.ResetPassword(token, "a brand new passphrase", meta_).ok());
    EXPECT_EQ(auth_.ResetPassword(token, "another new passphrase", meta_).error().slug, "invalid_reset_token");
    EXPECT_FALSE(auth_.Refresh(r.tokens.refresh_token, meta_).ok());
    EXPECT_FALSE(auth_.Login({"ada@example.com", "correct horse battery"}, meta_).ok());
    EXPECT_TRUE(auth_.Login({"ada@example.com", "a brand new passphrase"}, meta_).ok());
    EXPECT_TRUE(HasEvent("auth.password_reset"));
}

TEST_F(IdentityTest, PasswordResetTokenExpiresAfterAnHour) {
    MustRegister("ada@example.com");
    ASSERT_TRUE(auth_.ForgotPassword("ada@example.com", meta_).ok());
    std::string body;
    MailOutbox(tdb_.db(), clock_).DeliverDue([&](const mail::Message& m) { body = m.body; });
    auto pos = body.find("token=");
    std::string token = body.substr(pos + 6, body.find('\n', pos) - pos - 6);
    clock_.Advance(kHour + kSecond);
    EXPECT_EQ(auth_.ResetPassword(token, "a brand new passphrase", meta_).error().slug, "invalid_reset_token");
}

TEST_F(IdentityTest, FailedMailIsRetriedLater) {
    MustRegister("ada@example.com");
    ASSERT_TRUE(auth_.ForgotPassword("ada@example.com", meta_).ok());
    MailOutbox outbox(tdb_.db(), clock_);
    EXPECT_EQ(outbox.DeliverDue([](const mail::Message&) { throw std::runtime_error("smtp down"); }), 0);
    int delivered = 0;
    EXPECT_EQ(outbox.DeliverDue([&](const mail::Message&) { ++delivered; }), 0);  // not yet due
    clock_.Advance(kMinute);
    EXPECT_EQ(outbox.DeliverDue([&](const mail::Message&) { ++delivered; }), 1);
    EXPECT_EQ(delivered, 1);
}

}  // namespace
}  // namespace uxf::identity
