#include <gtest/gtest.h>
#include <jwt.h>

#include "internal.hpp"
#include "uxf/core/strings.hpp"
#include "uxf/identity/totp.hpp"

namespace uxf::identity {
namespace {

const std::string kSecret = "0123456789abcdef0123456789abcdef";
constexpr Micros kNow = 1'800'000'000LL * kSecond;

TEST(Hotp, Rfc4226AppendixDVectors) {
    auto key = AsBytes("12345678901234567890");
    const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                              "254676", "287922", "162583", "399871", "520489"};
    for (int i = 0; i < 10; ++i) EXPECT_EQ(Hotp(key, i), expected[i]) << "counter " << i;
}

TEST(Totp, Rfc6238AppendixBSha1Vectors) {
    auto key = AsBytes("12345678901234567890");
    struct V {
        std::int64_t t;
        const char* code;
    } vectors[] = {{59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
                   {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}};
    for (auto v : vectors) EXPECT_EQ(Hotp(key, TotpStep(v.t), 8), v.code) << "time " << v.t;
}

TEST(Totp, AcceptsOneStepOfDriftAndEachCodeOnce) {
    auto seed = RandomBytes(20);
    std::uint64_t step = TotpStep(kNow / kSecond);
    EXPECT_EQ(MatchTotp(seed, Hotp(seed, step), kNow, 0), step);
    EXPECT_EQ(MatchTotp(seed, Hotp(seed, step - 1), kNow, 0), step - 1);
    EXPECT_EQ(MatchTotp(seed, Hotp(seed, step + 1), kNow, 0), step + 1);
    EXPECT_FALSE(MatchTotp(seed, Hotp(seed, step - 2), kNow, 0));
    EXPECT_FALSE(MatchTotp(seed, Hotp(seed, step + 2), kNow, 0));
    EXPECT_FALSE(MatchTotp(seed, Hotp(seed, step), kNow, step));  // already used
    EXPECT_FALSE(MatchTotp(seed, "12345", kNow, 0));
    EXPECT_FALSE(MatchTotp(seed, "abcdef", kNow, 0));
}

class JwtTest : public ::testing::Test {
  protected:
    JwtCodec codec_{kSecret, "uxflow", "uxflow-api", 15 * kMinute};

    // Signs arbitrary claims with libjwt, for forging tokens the server must refuse.
    static std::string Sign(jwt_alg_t alg, const std::string& key, const std::string& claims_json) {
        jwt_t* j = nullptr;
        jwt_new(&j);
        jwt_add_grants_json(j, claims_json.c_str());
        jwt_set_alg(j, alg, alg == JWT_ALG_NONE ? nullptr : reinterpret_cast<const unsigned char*>(key.data()),
                    alg == JWT_ALG_NONE ? 0 : static_cast<int>(key.size()));
        char* s = jwt_encode_str(j);
        std::string out = s ? s : "";
        free(s);
        jwt_free(j);
        return out;
    }
    static std::string Claims(long exp, const std::string& aud = "uxflow-api", const std::string& iss = "uxflow",
                              const std::string& typ = "access") {
        return R"({"iss":")" + iss + R"(","aud":")" + aud + R"(","sub":"usr_1","sid":"ses_1","typ":")" + typ +
               R"(","iat":)" + std::to_string(kNow / kSecond) + R"(,"exp":)" + std::to_string(exp) + "}";
    }
    static std::string B64(std::string_view s) { return Base64UrlEncode(AsBytes(s)); }
};

TEST_F(JwtTest, IssuedTokenVerifies) {
    auto token = codec_.Issue("usr_1", "ses_1", kNow);
    auto claims = codec_.Verify(token, kNow + kMinute);
    ASSERT_TRUE(claims);
    EXPECT_EQ(claims->user_id, "usr_1");
    EXPECT_EQ(claims->session_id, "ses_1");
    EXPECT_EQ(claims->expires_at, kNow + 15 * kMinute);
    EXPECT_FALSE(claims->token_id.empty());
    EXPECT_TRUE(codec_.Verify(Sign(JWT_ALG_HS256, kSecret, Claims(kNow / kSecond + 60)), kNow));
}

TEST_F(JwtTest, RefusesExpiredWrongAudienceIssuerOrType) {
    auto token = codec_.Issue("usr_1", "ses_1", kNow);
    EXPECT_FALSE(codec_.Verify(token, kNow + 15 * kMinute));
    long exp = kNow / kSecond + 60;
    EXPECT_FALSE(codec_.Verify(Sign(JWT_ALG_HS256, kSecret, Claims(exp, "other-api")), kNow));
    EXPECT_FALSE(codec_.Verify(Sign(JWT_ALG_HS256, kSecret, Claims(exp, "uxflow-api", "evil")), kNow));
    EXPECT_FALSE(codec_.Verify(Sign(JWT_ALG_HS256, kSecret, Claims(exp, "uxflow-api", "uxflow", "refresh")), kNow));
}

TEST_F(JwtTest, RefusesForgedSignatures) {
    long exp = kNow / kSecond + 60;
    EXPECT_FALSE(codec_.Verify(Sign(JWT_ALG_HS256, "another-secret-another-secret-xx", Claims(exp)), kNow));
    auto good = codec_.Issue("usr_1", "ses_1", kNow);
    std::string tampered = good;
    tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(codec_.Verify(tampered, kNow));
    // Same payload, claims swapped to another user, original signature.
    auto dot1 = good.find('.'), dot2 = good.rfind('.');
    std::string forged =
        good.substr(0, dot1 + 1) + B64(Claims(exp).replace(Claims(exp).find("usr_1"), 5, "usr_2")) + good.substr(dot2);
    EXPECT_FALSE(codec_.Verify(forged, kNow));
}

TEST_F(JwtTest, RefusesAlgNoneAndOtherAlgorithms) {
    long exp = kNow / kSecond + 60;
    std::string none = B64(R"({"alg":"none","typ":"JWT"})") + "." + B64(Claims(exp)) + ".";
    EXPECT_FALSE(codec_.Verify(none, kNow));
    EXPECT_FALSE(codec_.Verify(Sign(JWT_ALG_NONE, "", Claims(exp)), kNow));
    // Signed with our secret but another HMAC: the algorithm is pinned, not read from the header.
    EXPECT_FALSE(codec_.Verify(Sign(JWT_ALG_HS512, kSecret, Claims(exp)), kNow));
    EXPECT_FALSE(codec_.Verify(Sign(JWT_ALG_HS384, kSecret, Claims(exp)), kNow));
    EXPECT_FALSE(codec_.Verify("garbage", kNow));
    EXPECT_FALSE(codec_.Verify("a.b.c", kNow));
    EXPECT_FALSE(codec_.Verify("", kNow));
}

TEST(JwtCodecSettings, RefusesShortSecret) {
    EXPECT_THROW(JwtCodec("short", "i", "a", kMinute), std::invalid_argument);
}

}  // namespace
}  // namespace uxf::identity
