#include "stripe/signature.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace uxf::billing::stripe {
namespace {

constexpr std::int64_t kT = 1'700'000'000;
constexpr std::string_view kBody = R"({"id":"evt_1","object":"event","type":"checkout.session.completed"})";
const std::string kSecret = "whsec_test_secret";
const std::string kOther = "whsec_other_secret";

std::string Header(std::int64_t t, std::string_view secret, std::string_view body = kBody) {
    return fmt::format("t={},v1={}", t, SignPayload(secret, t, body));
}

SignatureCheck Check(std::vector<std::string> secrets = {kSecret}, Micros now = kT * kSecond) {
    return {std::move(secrets), now};
}

// The failure's message, or "ok".
std::string Verdict(std::string_view header, std::string_view body = kBody, const SignatureCheck& check = Check()) {
    auto r = VerifySignature(header, body, check);
    if (r) return "ok";
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(r.error().slug, "invalid_signature");
    return r.error().message;
}

TEST(StripeSignature, KnownVector) {
    // printf "1700000000.{}" | openssl dgst -sha256 -hmac whsec_test_secret
    EXPECT_EQ(SignPayload("whsec_test_secret", kT, "{}"),
              "ceb8863f7208fa249a6cd8f951e993c7563412aca65866f6272283debe143ab3");
}

TEST(StripeSignature, ValidHeader) { EXPECT_EQ(Verdict(Header(kT, kSecret)), "ok"); }

TEST(StripeSignature, TamperedBody) {
    std::string body(kBody);
    body[body.size() - 3] = 'X';
    EXPECT_EQ(Verdict(Header(kT, kSecret), body), "invalid Stripe-Signature: no signature matches");
}

TEST(StripeSignature, WrongSecret) {
    EXPECT_EQ(Verdict(Header(kT, kOther)), "invalid Stripe-Signature: no signature matches");
}

TEST(StripeSignature, RotatedSecretsAcceptTheSecond) {
    EXPECT_EQ(Verdict(Header(kT, kOther), kBody, Check({kSecret, kOther})), "ok");
    EXPECT_NE(Verdict(Header(kT, "whsec_third"), kBody, Check({kSecret, kOther})), "ok");
    EXPECT_NE(Verdict(Header(kT, kSecret), kBody, Check({})), "ok");
}

TEST(StripeSignature, OneOfSeveralV1Matches) {
    auto good = SignPayload(kSecret, kT, kBody), bad = SignPayload(kOther, kT, kBody);
    EXPECT_EQ(Verdict(fmt::format("t={},v1={},v1={},v0={}", kT, bad, good, bad)), "ok");
    EXPECT_EQ(Verdict(fmt::format("t={},v1={},v1={}", kT, good, bad)), "ok");
    EXPECT_NE(Verdict(fmt::format("t={},v1={},v1={}", kT, bad, bad)), "ok");
}

TEST(StripeSignature, V0IsIgnored) {
    EXPECT_EQ(Verdict(fmt::format("t={},v0={}", kT, SignPayload(kSecret, kT, kBody))),
              "invalid Stripe-Signature: no v1 signature");
}

TEST(StripeSignature, TimestampToleranceBothWays) {
    auto header = Header(kT, kSecret);
    auto at = [&](Micros now) { return Verdict(header, kBody, Check({kSecret}, now)); };
    const Micros sent = kT * kSecond, tolerance = 300 * kSecond;
    EXPECT_EQ(at(sent + tolerance), "ok");
    EXPECT_EQ(at(sent - tolerance), "ok");
    EXPECT_EQ(at(sent + tolerance - kSecond), "ok");
    EXPECT_EQ(at(sent - tolerance + kSecond), "ok");
    EXPECT_EQ(at(sent + tolerance + kSecond), "invalid Stripe-Signature: timestamp outside the tolerance");  // stale
    EXPECT_EQ(at(sent - tolerance - kSecond), "invalid Stripe-Signature: timestamp outside the tolerance");  // future
    EXPECT_EQ(at(0), "invalid Stripe-Signature: timestamp outside the tolerance");
}

TEST(StripeSignature, TheTimestampIsSigned) {
    // A captured request replayed later with a fresh t: the signature no longer matches.
    auto signature = SignPayload(kSecret, kT - 3600, kBody);
    EXPECT_EQ(Verdict(fmt::format("t={},v1={}", kT, signature)), "invalid Stripe-Signature: no signature matches");
}

TEST(StripeSignature, MalformedHeadersFailWithoutCrashing) {
    const auto sig = SignPayload(kSecret, kT, kBody);
    EXPECT_EQ(Verdict(""), "invalid Stripe-Signature: no header");
    EXPECT_EQ(Verdict("   "), "invalid Stripe-Signature: no header");
    EXPECT_EQ(Verdict("v1=" + sig), "invalid Stripe-Signature: malformed header: no timestamp (t=)");
    for (auto t : {"", "abc", "12x", "-5", "1.5", " ", "99999999999999999999", "9223372036854775807"})
        EXPECT_EQ(Verdict(fmt::format("t={},v1={}", t, sig)),
                  "invalid Stripe-Signature: malformed header: t is not unix seconds")
            << t;
    EXPECT_EQ(Verdict(fmt::format("t={}", kT)), "invalid Stripe-Signature: no v1 signature");
    EXPECT_EQ(Verdict(fmt::format("t={},v1=", kT)), "invalid Stripe-Signature: no signature matches");
    for (auto h : {",", ",,,", "=", "t", "t=,", "v1", "garbage", "t==1,v1==", "\x01\xff\x00"})
        EXPECT_NE(Verdict(h), "ok") << h;
    // The largest t that fits, and now at the far end of time: no overflow.
    const std::int64_t far = std::numeric_limits<Micros>::max() / kSecond;
    EXPECT_EQ(Verdict(Header(far, kSecret), kBody, Check({kSecret}, far * kSecond)), "ok");
    EXPECT_NE(Verdict(Header(far, kSecret)), "ok");
    // Huge: a megabyte of items, and 10,000 signatures of which the last is right.
    std::string huge = fmt::format("t={}", kT);
    for (int i = 0; i < 10'000; ++i) huge += ",v1=" + std::string(64, 'a');
    EXPECT_EQ(Verdict(huge), "invalid Stripe-Signature: no signature matches");
    EXPECT_EQ(Verdict(huge + ",v1=" + sig), "ok");
    EXPECT_NE(Verdict(std::string(1 << 20, ',')), "ok");
    EXPECT_NE(Verdict(std::string(1 << 20, 't')), "ok");
}

TEST(StripeSignature, SpacesAroundItemsAreTolerated) {
    EXPECT_EQ(Verdict(fmt::format("t={}, v1={}", kT, SignPayload(kSecret, kT, kBody))), "ok");
}

TEST(StripeSignature, MessageNeverCarriesSecretOrExpectedSignature) {
    auto r = VerifySignature(fmt::format("t={},v1=00", kT), kBody, Check());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message.find(kSecret), std::string::npos);
    EXPECT_EQ(r.error().message.find(SignPayload(kSecret, kT, kBody)), std::string::npos);
}

}  // namespace
}  // namespace uxf::billing::stripe
