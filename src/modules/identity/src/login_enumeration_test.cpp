// An unknown e-mail must not be told apart from a wrong password: not by the answer, and not by the work done
// (timing). The work is checked without a clock: the Argon2id verifications are observed and compared.
#include "test_fixture.hpp"
#include "uxf/platform/crypto_test_hooks.hpp"

namespace uxf::identity {
namespace {

// "$argon2id$v=19$m=8,t=1,p=1$<salt>$<hash>" -> "$argon2id$v=19$m=8,t=1,p=1$": algorithm, version and cost.
std::string CostOf(const std::string& phc) {
    std::size_t pos = 0;
    for (int i = 0; i < 3 && pos != std::string::npos; ++i) pos = phc.find('$', pos + 1);
    return phc.substr(0, pos == std::string::npos ? phc.size() : pos + 1);
}

// Records the PHC strings verified while it lives.
class VerificationLog {
  public:
    VerificationLog() {
        crypto::SetPasswordHashObserver([this](crypto::HashWork work, std::string_view phc) {
            if (work == crypto::HashWork::kVerify) verified.emplace_back(phc);
        });
    }
    ~VerificationLog() { crypto::SetPasswordHashObserver(nullptr); }
    std::vector<std::string> verified;
};

TEST_F(IdentityTest, UnknownEmailRunsTheSameArgon2idVerificationAsAWrongPassword) {
    auto ada = MustRegister("ada@example.com");
    std::string stored = tdb_.db().Read([&](db::Tx& tx) {
        return tx.QueryOne("SELECT password_hash FROM users WHERE id = :id", {ada.user.id})->Str(0);
    });
    ASSERT_EQ(CostOf(stored), "$argon2id$v=19$m=8,t=1,p=1$");

    VerificationLog wrong_log;
    auto wrong = auth_.Login({"ada@example.com", "wrong horse battery"}, meta_);
    std::vector<std::string> for_wrong = std::exchange(wrong_log.verified, {});
    auto unknown = auth_.Login({"nobody@example.com", "wrong horse battery"}, meta_);
    std::vector<std::string> for_unknown = wrong_log.verified;

    ASSERT_FALSE(wrong.ok());
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(wrong.error().slug, "invalid_credentials");
    EXPECT_EQ(unknown.error().slug, wrong.error().slug);
    EXPECT_EQ(unknown.error().message, wrong.error().message);
    ASSERT_EQ(for_wrong.size(), 1u);
    EXPECT_EQ(for_wrong[0], stored);
    // The unknown e-mail is verified once too, against a hash of the same algorithm and cost.
    ASSERT_EQ(for_unknown.size(), 1u);
    EXPECT_EQ(CostOf(for_unknown[0]), CostOf(stored));
    EXPECT_NE(for_unknown[0], stored);
}

}  // namespace
}  // namespace uxf::identity
