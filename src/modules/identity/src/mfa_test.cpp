#include "test_fixture.hpp"

#include "uxf/core/strings.hpp"
#include "uxf/identity/totp.hpp"

namespace uxf::identity {
namespace {

class MfaTest : public IdentityTest {
  protected:
    std::string CodeAt(const std::string& secret, Micros t) {
        return Hotp(*Base32Decode(secret), TotpStep(t / kSecond));
    }
};

TEST_F(MfaTest, FullLifecycle) {
    auto r = MustRegister("ada@example.com");
    std::string uid = r.user.id;
    auto setup = auth_.Setup2fa(uid, meta_);
    ASSERT_TRUE(setup.ok());
    EXPECT_EQ(setup->secret.size(), 32u);
    EXPECT_TRUE(
        setup->otpauth_uri.starts_with("otpauth://totp/UX-Flow-Engine:ada%40example.com?secret=" + setup->secret));
    // The seed is sealed at rest.
    auto stored = tdb_.db().Read(
        [&](db::Tx& tx) { return tx.QueryOne("SELECT totp_pending_secret FROM users WHERE id = :id", {uid})->Str(0); });
    EXPECT_EQ(stored.find(setup->secret), std::string::npos);

    EXPECT_EQ(auth_.Enable2fa(uid, "000000", meta_).error().code, ErrorCode::kInvalidInput);
    auto codes = auth_.Enable2fa(uid, CodeAt(setup->secret, clock_.Now()), meta_);
    ASSERT_TRUE(codes.ok());
    ASSERT_EQ(codes->size(), 10u);
    EXPECT_TRUE(HasEvent("auth.mfa_enabled"));

    // Password alone is no longer enough.
    auto no_code = auth_.Login({"ada@example.com", "correct horse battery"}, meta_);
    EXPECT_EQ(no_code.error().slug, "mfa_required");
    clock_.Advance(30 * kSecond);
    std::string code = CodeAt(setup->secret, clock_.Now());
    EXPECT_TRUE(auth_.Login({"ada@example.com", "correct horse battery", code}, meta_).ok());
    // The same code a second time is refused.
    EXPECT_EQ(auth_.Login({"ada@example.com", "correct horse battery", code}, meta_).error().slug, "mfa_required");
    // A recovery code works once.
    std::string recovery = (*codes)[3];
    EXPECT_TRUE(auth_.Login({"ada@example.com", "correct horse battery", "", recovery}, meta_).ok());
    EXPECT_EQ(auth_.Login({"ada@example.com", "correct horse battery", "", recovery}, meta_).error().slug,
              "mfa_required");
    // Recovery codes are stored hashed.
    auto hashes = tdb_.db().Read([&](db::Tx& tx) { return tx.Query("SELECT code_hash FROM recovery_codes"); });
    EXPECT_EQ(hashes.size(), 10u);
    for (const auto& h : hashes) EXPECT_EQ(h.Str(0).size(), 64u);

    clock_.Advance(30 * kSecond);
    std::string next = CodeAt(setup->secret, clock_.Now());
    EXPECT_EQ(auth_.Disable2fa(uid, "wrong horse battery", next, meta_).error().code, ErrorCode::kUnauthorized);
    ASSERT_TRUE(auth_.Disable2fa(uid, "correct horse battery", next, meta_).ok());
    EXPECT_TRUE(auth_.Login({"ada@example.com", "correct horse battery"}, meta_).ok());
    EXPECT_TRUE(HasEvent("auth.mfa_disabled"));
}

TEST_F(MfaTest, SetupTwiceWhileEnabledConflicts) {
    auto r = MustRegister("ada@example.com");
    auto setup = auth_.Setup2fa(r.user.id, meta_);
    ASSERT_TRUE(auth_.Enable2fa(r.user.id, CodeAt(setup->secret, clock_.Now()), meta_).ok());
    EXPECT_EQ(auth_.Setup2fa(r.user.id, meta_).error().slug, "mfa_already_enabled");
    EXPECT_EQ(auth_.Enable2fa(r.user.id, "123456", meta_).error().slug, "mfa_already_enabled");
}

TEST_F(MfaTest, WrongCodesCountTowardsLockout) {
    auto r = MustRegister("ada@example.com");
    auto setup = auth_.Setup2fa(r.user.id, meta_);
    ASSERT_TRUE(auth_.Enable2fa(r.user.id, CodeAt(setup->secret, clock_.Now()), meta_).ok());
    for (int i = 0; i < settings_.account_lock_threshold; ++i)
        (void)auth_.Login({"ada@example.com", "correct horse battery", "000000"}, meta_);
    clock_.Advance(30 * kSecond);
    auto r2 = auth_.Login({"ada@example.com", "correct horse battery", CodeAt(setup->secret, clock_.Now())}, meta_);
    EXPECT_EQ(r2.error().code, ErrorCode::kLocked);
}

}  // namespace
}  // namespace uxf::identity
