#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "internal.hpp"

namespace uxf::identity {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;

// The reasons CheckPassword gives; each refusal below must give its own.
const auto kTooShort = Optional(std::string("must be at least 12 characters"));
const auto kTooLong = Optional(std::string("must be at most 128 characters"));
const auto kTooCommon = Optional(HasSubstr("too common"));
const auto kTooEasy = Optional(HasSubstr("too easy to guess"));
const auto kHasEmail = Optional(std::string("must not contain your e-mail address"));
const auto kHasName = Optional(std::string("must not contain your name"));

std::optional<std::string> Check(std::string_view pw, std::string_view email = "ada@example.com",
                                 std::string_view name = "Ada Lovelace") {
    return CheckPassword(pw, email, name, 12, 128);
}

// `n` different two-byte characters (Greek letters, cycling), so no repetition or keyboard run.
std::string Greek(std::size_t n) {
    static const std::string_view kLetters[] = {"α", "β", "γ", "δ", "ε", "ζ", "η", "θ", "ι", "κ", "λ", "μ",
                                                "ν", "ξ", "ο", "π", "ρ", "σ", "τ", "υ", "φ", "χ", "ψ", "ω"};
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += kLetters[i % std::size(kLetters)];
    return out;
}

TEST(PasswordPolicy, AcceptsAGoodPassphrase) {
    EXPECT_EQ(Check("correct horse battery"), std::nullopt);
    EXPECT_EQ(Check("Tr0ub4dour&3xyzzy"), std::nullopt);
}

TEST(PasswordPolicy, EnforcesLengthInAsciiCharacters) {
    EXPECT_THAT(Check("short"), kTooShort);
    EXPECT_THAT(Check("Tr0ub4dour&"), kTooShort);    // 11
    EXPECT_EQ(Check("Tr0ub4dour&3"), std::nullopt);  // 12
    EXPECT_THAT(Check(std::string(129, 'x') + "Q1"), kTooLong);
}

// Bytes and characters differ: the limits count characters (code points), not bytes.
TEST(PasswordPolicy, CountsMultiByteCharactersAsOne) {
    const std::string eleven = "日本語のパスフレーズで";    // 11 characters, 33 bytes
    const std::string twelve = "日本語のパスフレーズです";  // 12 characters, 36 bytes
    ASSERT_EQ(eleven.size(), 33u);
    EXPECT_THAT(Check(eleven), kTooShort);
    EXPECT_EQ(Check(twelve), std::nullopt);

    EXPECT_THAT(Check("ñandú-zorro"), kTooShort);                                   // 11 characters, 13 bytes
    EXPECT_THAT(Check(Greek(11)), kTooShort);                                       // 11 characters, 22 bytes
    EXPECT_EQ(Check(Greek(12)), std::nullopt);                                      // 12 characters, 24 bytes
    EXPECT_EQ(Check("ééééé-ñandú-zorro"), std::nullopt);                            // 17 characters, 22 bytes
    EXPECT_EQ(Check("🔑 llave 🗝️ clé 🔐"), std::nullopt);                 // four-byte characters
    EXPECT_THAT(Check("🔑🗝🔐🔒🔓🚪🏠🌳🌊🔥🌙"), kTooShort);  // 11 characters, 44 bytes

    ASSERT_EQ(Greek(128).size(), 256u);
    EXPECT_EQ(Check(Greek(128)), std::nullopt);  // 128 characters although 256 bytes
    EXPECT_THAT(Check(Greek(129)), kTooLong);
}

TEST(PasswordPolicy, RefusesCommonPasswordsAndTheirVariations) {
    EXPECT_THAT(Check("password1234"), kTooCommon);
    EXPECT_THAT(Check("Password2024!"), kTooCommon);
    EXPECT_THAT(Check("!!!!monkey1234"), kTooCommon);
    EXPECT_THAT(Check("baseball!!!!"), kTooCommon);
    EXPECT_THAT(Check("qwertyuiop[]"), kTooCommon);  // a keyboard run, but first of all a common password
}

TEST(PasswordPolicy, RefusesRunsAndRepeats) {
    EXPECT_THAT(Check("123456789012"), kTooEasy);
    EXPECT_THAT(Check("aaaaaaaaaaaaaa"), kTooEasy);
    EXPECT_THAT(Check("abcdefghijklm"), kTooEasy);
    EXPECT_THAT(Check("poiuytrewq[]"), kTooEasy);
    EXPECT_THAT(Check("abcabcabcabc"), kTooEasy);
    EXPECT_THAT(Check("passwordpassword"), kTooEasy);
    EXPECT_THAT(Check("baseballbaseball"), kTooEasy);
}

TEST(PasswordPolicy, RefusesTheUsersOwnDetails) {
    EXPECT_THAT(Check("my-grace.hopper-pw", "grace.hopper@example.com", "G"), kHasEmail);
    EXPECT_THAT(Check("ada lovelace rocks!", "x@example.com", "Ada Lovelace"), kHasName);
    // Short e-mail names and names are not held against the password.
    EXPECT_EQ(Check("the bob of all trades", "bob@example.com", "Al"), std::nullopt);
}

}  // namespace
}  // namespace uxf::identity
