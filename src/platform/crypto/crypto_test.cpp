#include <gtest/gtest.h>

#include "uxf/core/strings.hpp"
#include "uxf/platform/crypto.hpp"
#include "uxf/platform/crypto_test_hooks.hpp"

namespace uxf::crypto {
namespace {

TEST(Crypto, Sha256KnownVector) {
    EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Crypto, HmacSha1Rfc2202) {
    std::vector<std::uint8_t> key(20, 0x0b);
    EXPECT_EQ(HexEncode(HmacSha1(key, AsBytes("Hi There"))), "b617318655057264e28bc0b6fb378c8ef146be00");
    EXPECT_EQ(HexEncode(HmacSha1(AsBytes("Jefe"), AsBytes("what do ya want for nothing?"))),
              "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

TEST(Crypto, ConstantTimeEquals) {
    EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
    EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
    EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

TEST(Crypto, RandomTokenHas256Bits) {
    auto a = RandomToken();
    EXPECT_EQ(Base64UrlDecode(a)->size(), 32u);
    EXPECT_NE(a, RandomToken());
}

TEST(SecretBox, SealsOpensAndDetectsTampering) {
    SecretBox box(SecretBox::NewKey());
    std::string sealed = box.Seal("JBSWY3DPEHPK3PXP");
    EXPECT_EQ(sealed.find("JBSWY3DP"), std::string::npos);
    EXPECT_EQ(box.Open(sealed), "JBSWY3DPEHPK3PXP");
    EXPECT_NE(box.Seal("x"), box.Seal("x"));  // fresh nonce each time
    std::string tampered = sealed;
    tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(box.Open(tampered));
    SecretBox other(SecretBox::NewKey());
    EXPECT_FALSE(other.Open(sealed));
    EXPECT_THROW(SecretBox("short"), std::invalid_argument);
}

TEST(PasswordHasher, UsesOwaspArgon2idParameters) {
    PasswordHasher hasher;
    std::string phc = hasher.Hash("correct horse battery staple");
    EXPECT_TRUE(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << phc;
    EXPECT_TRUE(hasher.Verify(phc, "correct horse battery staple"));
    EXPECT_FALSE(hasher.Verify(phc, "correct horse battery stapl"));
    EXPECT_FALSE(hasher.Verify("not a hash", "x"));
    EXPECT_FALSE(hasher.NeedsRehash(phc));
    PasswordHasher weak({.ops_limit = 1, .mem_limit_bytes = 8192 * 1024});
    EXPECT_TRUE(hasher.NeedsRehash(weak.Hash("x")));
}

TEST(PasswordHasher, ObserverSeesEveryHashAndVerification) {
    std::vector<std::pair<HashWork, std::string>> seen;
    SetPasswordHashObserver([&](HashWork w, std::string_view phc) { seen.emplace_back(w, std::string(phc)); });
    PasswordHasher hasher({.ops_limit = 1, .mem_limit_bytes = 8192});
    std::string phc = hasher.Hash("a");
    EXPECT_FALSE(hasher.Verify(phc, "b"));
    EXPECT_TRUE(PasswordHasher().Verify(phc, "a"));  // any hasher
    SetPasswordHashObserver(nullptr);
    hasher.Verify(phc, "c");  // no longer observed
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[0], std::make_pair(HashWork::kHash, std::string()));
    EXPECT_EQ(seen[1], std::make_pair(HashWork::kVerify, phc));
    EXPECT_EQ(seen[2], std::make_pair(HashWork::kVerify, phc));
}

}  // namespace
}  // namespace uxf::crypto
