#include "uxf/platform/json_text.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace uxf::json_text
