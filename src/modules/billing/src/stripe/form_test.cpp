// FormEncode against what stripe-node 23.1.0 (utils.queryStringifyRequestData) writes for the same objects.
#include "stripe/form.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

#include <boost/json.hpp>

namespace uxf::billing::stripe {
namespace {

namespace json = boost::json;

TEST(StripeForm, FlatScalars) {
    json::object p{{"name", "Ada Lovelace"}, {"email", "ada@example.com"},
                   {"quantity", 3},          {"live", true},
                   {"trial", false},         {"ratio", 1.5},
                   {"big", 100.0},           {"negative", -7}};
    EXPECT_EQ(FormEncode(p),
              "name=Ada%20Lovelace&email=ada%40example.com&quantity=3&live=true&trial=false&ratio=1.5&big=100"
              "&negative=-7");
}

TEST(StripeForm, EmptyObjectIsEmptyBody) { EXPECT_EQ(FormEncode({}), ""); }

TEST(StripeForm, NestedObjectsUseBracketKeys) {
    json::object p{{"metadata", {{"workspace_id", "wsp_123"}, {"price_key", "pro_monthly"}}},
                   {"subscription_data", {{"metadata", {{"workspace_id", "wsp_123"}}}}}};
    EXPECT_EQ(FormEncode(p),
              "metadata[workspace_id]=wsp_123&metadata[price_key]=pro_monthly"
              "&subscription_data[metadata][workspace_id]=wsp_123");
}

TEST(StripeForm, ArraysAreIndexed) {
    json::object p{{"line_items", json::array{json::object{{"price", "price_A"}, {"quantity", 1}},
                                              json::object{{"price", "price_B"}, {"quantity", 2}}}},
                   {"expand", json::array{"customer", "subscription"}}};
    EXPECT_EQ(FormEncode(p),
              "line_items[0][price]=price_A&line_items[0][quantity]=1&line_items[1][price]=price_B"
              "&line_items[1][quantity]=2&expand[0]=customer&expand[1]=subscription");
}

TEST(StripeForm, NullAndEmptyStringAreSentEmptyToUnset) {
    json::object p{{"description", ""}, {"metadata", {{"old", nullptr}}}, {"coupon", nullptr}};
    EXPECT_EQ(FormEncode(p), "description=&metadata[old]=&coupon=");
}

TEST(StripeForm, EmptyContainersSendNothing) {
    json::object p{{"a", json::object{}}, {"b", json::array{}}, {"c", "x"}};
    EXPECT_EQ(FormEncode(p), "c=x");
}

TEST(StripeForm, ReservedCharactersAreEncodedButBracketsStayLiteral) {
    json::object p{{"metadata", {{"note", "a&b=c+d e/f?g#h%i!*'()"}}}, {"k[x]", "[v]"}};
    EXPECT_EQ(FormEncode(p), "metadata[note]=a%26b%3Dc%2Bd%20e%2Ff%3Fg%23h%25i%21%2A%27%28%29&k[x]=[v]");
}

TEST(StripeForm, UnicodeIsPercentEncodedUtf8) {
    json::object p{{"name", "Zoë Müller 日本 🎉"}, {"metadata", {{"ключ", "значение"}}}};
    EXPECT_EQ(FormEncode(p),
              "name=Zo%C3%AB%20M%C3%BCller%20%E6%97%A5%E6%9C%AC%20%F0%9F%8E%89"
              "&metadata[%D0%BA%D0%BB%D1%8E%D1%87]=%D0%B7%D0%BD%D0%B0%D1%87%D0%B5%D0%BD%D0%B8%D0%B5");
}

TEST(StripeForm, UnreservedCharactersPassThrough) {
    json::object p{{"id", "AZaz09-_.~"}};
    EXPECT_EQ(FormEncode(p), "id=AZaz09-_.~");
}

TEST(StripeForm, NotFiniteNumberIsABug) {
    json::object p{{"x", std::numeric_limits<double>::infinity()}};
    EXPECT_THROW(FormEncode(p), std::invalid_argument);
}

}  // namespace
}  // namespace uxf::billing::stripe
