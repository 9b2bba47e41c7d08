#include "uxf/platform/json_text.hpp"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstring>

#include <boost/json.hpp>

namespace uxf::json_text {
namespace {

TEST(JsonText, NumbersAreWrittenTheWayPeopleWriteThem) {
    auto v = boost::json::parse(R"({"a":1.29,"b":100,"c":0.5,"d":1e300,"e":-0.25,"f":100.0,"g":18446744073709551615})");
    EXPECT_EQ(Write(v), R"({"a":1.29,"b":100,"c":0.5,"d":1e+300,"e":-0.25,"f":100,"g":18446744073709551615})");
}

TEST(JsonText, StringsAreEscapedPerRfc8259AndUtf8PassesThrough) {
    boost::json::value v = boost::json::array{"quote \" backslash \\ slash /", std::string("nul \0 bell \x07", 12),
                                              "tab\tnewline\n", "Grüße ✓"};
    EXPECT_EQ(Write(v),
              "[\"quote \\\" backslash \\\\ slash /\",\"nul \\u0000 bell \\u0007\",\"tab\\tnewline\\n\","
              "\"Grüße ✓\"]");
}

TEST(JsonText, ReadsBackToTheSameValue) {
    auto v = boost::json::parse(
        R"({"nested":{"list":[1,2.5,{"x":null,"y":false}],"empty":{},"none":[]},"big":-9223372036854775808,)"
        R"("tiny":5e-324,"third":0.3333333333333333})");
    EXPECT_EQ(boost::json::parse(Write(v)), v);
}

// Numbers Boost.JSON 1.81's own parser reads off by an ulp, and edge cases of the range.
TEST(JsonText, ParseReadsNumbersExactlySoWrittenTextReadsBack) {
    const char* texts[] = {"0.1",
                           "1.29",
                           "5e-324",
                           "2.2250738585072014e-308",
                           "1.7976931348623157e+308",
                           "9007199254740993.0",
                           "0.30000000000000004",
                           "123456789012345678901234567890",
                           "4.9406564584124654e-324",
                           "1.00000000000000011102230246251565404236316680908203125",
                           "7.2057594037927933e+16",
                           "-0",
                           "-0.0"};
    for (const char* t : texts) {
        boost::system::error_code ec;
        auto v = Parse(t, ec);
        ASSERT_FALSE(ec) << t;
        if (v.is_double()) {
            double expected = 0;
            std::from_chars(t, t + std::strlen(t), expected);
            EXPECT_EQ(std::signbit(v.get_double()), std::signbit(expected)) << t;
            EXPECT_EQ(v.get_double(), expected) << t;
        }
        std::string once = Write(v);
        auto again = Parse(once, ec);
        ASSERT_FALSE(ec) << once;
        EXPECT_EQ(Write(again), once) << t;
    }
    boost::system::error_code ec;
    EXPECT_EQ(Write(Parse("-0", ec)), "-0");
    EXPECT_EQ(Write(Parse(R"({"a":[1,2.5,{"b":null,"c":true}],"d":"\u00e9\n"})", ec)),
              "{\"a\":[1,2.5,{\"b\":null,\"c\":true}],\"d\":\"\u00e9\\n\"}");
    for (const char* bad : {"", "{", "[1,]", "{\"a\":1} x", "01", "1e", "\"\\x\""}) {
        boost::system::error_code err;
        Parse(bad, err);
        EXPECT_TRUE(err) << bad;
    }
    boost::system::error_code deep;
    Parse(std::string(40, '[') + std::string(40, ']'), deep);
    EXPECT_TRUE(deep);  // deeper than the default limit of 32
}

}  // namespace
}  // namespace uxf::json_text
