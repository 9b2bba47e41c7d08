#include <gtest/gtest.h>

#include "uxf/platform/metrics.hpp"

namespace uxf::metrics {
namespace {

TEST(Registry, RendersPrometheusText) {
    Registry r;
    r.Describe("http_requests_total", Registry::Kind::kCounter, "Requests served.");
    r.Describe("http_request_duration_seconds", Registry::Kind::kHistogram, "Latency.", {0.01, 0.1});
    r.Inc("http_requests_total", {{"route", "/v1/me"}, {"status", "200"}});
    r.Inc("http_requests_total", {{"route", "/v1/me"}, {"status", "200"}});
    r.Observe("http_request_duration_seconds", {{"route", "/v1/me"}}, 0.05);
    std::string text = r.Render();
    EXPECT_NE(text.find("# TYPE http_requests_total counter"), std::string::npos);
    EXPECT_NE(text.find("http_requests_total{route=\"/v1/me\",status=\"200\"} 2"), std::string::npos) << text;
    EXPECT_NE(text.find("http_request_duration_seconds_bucket{route=\"/v1/me\",le=\"0.01\"} 0"), std::string::npos);
    EXPECT_NE(text.find("http_request_duration_seconds_bucket{route=\"/v1/me\",le=\"0.1\"} 1"), std::string::npos);
    EXPECT_NE(text.find("http_request_duration_seconds_bucket{route=\"/v1/me\",le=\"+Inf\"} 1"), std::string::npos);
    EXPECT_NE(text.find("http_request_duration_seconds_count{route=\"/v1/me\"} 1"), std::string::npos);
    EXPECT_EQ(r.Value("http_requests_total", {{"route", "/v1/me"}, {"status", "200"}}), 2);
}

TEST(Registry, EscapesLabelValues) {
    Registry r;
    r.Inc("x", {{"path", "a\"b\\c"}});
    EXPECT_NE(r.Render().find("x{path=\"a\\\"b\\\\c\"} 1"), std::string::npos);
}

}  // namespace
}  // namespace uxf::metrics
