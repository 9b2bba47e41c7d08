#include <gtest/gtest.h>

#include <thread>
#include <vector>

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

TEST(Registry, HandlesCountEveryUpdateFromManyThreads) {
    Registry r;
    r.Describe("lat", Registry::Kind::kHistogram, "Latency.", {0.5, 1});
    auto counter = r.CounterOf("hits", {{"route", "/a"}});
    auto histogram = r.HistogramOf("lat", {{"route", "/a"}});
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 10000; ++i) {
                counter.Inc();
                histogram.Observe(i % 2 ? 0.25 : 0.75);
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(r.Value("hits", {{"route", "/a"}}), 40000);
    r.Inc("hits", {{"route", "/a"}}, 2);  // the label path reaches the same series
    EXPECT_EQ(r.Value("hits", {{"route", "/a"}}), 40002);
    std::string text = r.Render();
    EXPECT_NE(text.find("lat_bucket{route=\"/a\",le=\"0.5\"} 20000\n"), std::string::npos) << text;
    EXPECT_NE(text.find("lat_bucket{route=\"/a\",le=\"1\"} 40000\n"), std::string::npos) << text;
    EXPECT_NE(text.find("lat_sum{route=\"/a\"} 20000\n"), std::string::npos) << text;
    EXPECT_NE(text.find("lat_count{route=\"/a\"} 40000\n"), std::string::npos) << text;
}

TEST(Registry, EscapesLabelValues) {
    Registry r;
    r.Inc("x", {{"path", "a\"b\\c"}});
    EXPECT_NE(r.Render().find("x{path=\"a\\\"b\\\\c\"} 1"), std::string::npos);
}

}  // namespace
}  // namespace uxf::metrics
