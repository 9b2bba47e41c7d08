#include <gtest/gtest.h>

#include "internal.hpp"

namespace uxf::identity {
namespace {

std::optional<std::string> Check(std::string_view pw, std::string_view email = "ada@example.com",
                                 std::string_view name = "Ada Lovelace") {
    return CheckPassword(pw, email, name, 12, 128);
}

TEST(PasswordPolicy, AcceptsAGoodPassphrase) {
    EXPECT_EQ(Check("correct horse battery"), std::nullopt);
    EXPECT_EQ(Check("Tr0ub4dour&3xyzzy"), std::nullopt);
}

TEST(PasswordPolicy, EnforcesLengthInCharacters) {
    EXPECT_TRUE(Check("short"));
    EXPECT_TRUE(Check(std::string(129, 'x') + "Q1"));
    EXPECT_EQ(Check("ééééé-ñandú-zorro"), std::nullopt);  // 17 characters, more bytes
    EXPECT_TRUE(Check("éééééééééé"));                     // 10 characters, 20 bytes
}

TEST(PasswordPolicy, RefusesCommonPasswordsAndTheirVariations) {
    EXPECT_TRUE(Check("password1234"));
    EXPECT_TRUE(Check("Password2024!"));
    EXPECT_TRUE(Check("!!!!monkey1234"));
    EXPECT_TRUE(Check("passwordpassword"));
    EXPECT_TRUE(Check("baseballbaseball"));
}

TEST(PasswordPolicy, RefusesRunsAndRepeats) {
    EXPECT_TRUE(Check("123456789012"));
    EXPECT_TRUE(Check("aaaaaaaaaaaaaa"));
    EXPECT_TRUE(Check("abcdefghijklm"));
    EXPECT_TRUE(Check("qwertyuiop[]"));
    EXPECT_TRUE(Check("abcabcabcabc"));
}

TEST(PasswordPolicy, RefusesTheUsersOwnDetails) {
    EXPECT_TRUE(Check("my-grace.hopper-pw", "grace.hopper@example.com", "G"));
    EXPECT_TRUE(Check("ada lovelace rocks!", "x@example.com", "Ada Lovelace"));
}

}  // namespace
}  // namespace uxf::identity
