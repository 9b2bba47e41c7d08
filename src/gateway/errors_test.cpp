#include "uxf/gateway/errors.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace uxf::gateway {
namespace {

// 402 insufficient_credits carries the numbers a client needs to explain it: the balance and what was required.
TEST(Problems, PaymentRequiredCarriesItsNumbers) {
    Error e = Error::Make(ErrorCode::kPaymentRequired, "insufficient_credits", "this needs 5 credits");
    e.numbers = {{"balance", 3}, {"required", 5}};
    auto r = ProblemResponse(e, "/v1/x", "req_1");
    EXPECT_EQ(r.status, 402);
    auto body = boost::json::parse(r.body).as_object();
    EXPECT_EQ(body.at("code").as_string(), "insufficient_credits");
    EXPECT_EQ(body.at("title").as_string(), "Payment Required");
    EXPECT_EQ(body.at("balance").as_int64(), 3);
    EXPECT_EQ(body.at("required").as_int64(), 5);
    EXPECT_EQ(StatusFor(ErrorCode::kPaymentRequired), 402);
}

// A service we called that refused (Stripe's error object) is 502, not our 500 nor the caller's 400.
TEST(Problems, BadGatewayIs502) {
    auto r = ProblemResponse(Error::Make(ErrorCode::kBadGateway, "stripe_error", "No such price"), "/v1/x", "req_2");
    EXPECT_EQ(r.status, 502);
    EXPECT_EQ(boost::json::parse(r.body).as_object().at("title").as_string(), "Bad Gateway");
}

}  // namespace
}  // namespace uxf::gateway
