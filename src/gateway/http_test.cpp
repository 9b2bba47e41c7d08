#include <gtest/gtest.h>

#include "uxf/gateway/http.hpp"

namespace uxf::gateway {
namespace {

TEST(ParseTarget, SplitsAndDecodes) {
    std::string path;
    std::map<std::string, std::string> q;
    ASSERT_TRUE(ParseTarget("/v1/a%20b?q=hello+world&limit=5&q=second&flag", path, q));
    EXPECT_EQ(path, "/v1/a b");
    EXPECT_EQ(q["q"], "hello world");
    EXPECT_EQ(q["limit"], "5");
    EXPECT_EQ(q.count("flag"), 1u);
}

TEST(ParseTarget, RefusesMalformed) {
    std::string path;
    std::map<std::string, std::string> q;
    EXPECT_FALSE(ParseTarget("no-slash", path, q));
    EXPECT_FALSE(ParseTarget("/bad%2", path, q));
    EXPECT_FALSE(ParseTarget("/bad%zz", path, q));
    EXPECT_FALSE(ParseTarget("/nul%00", path, q));
    EXPECT_FALSE(ParseTarget("/x?a=%", path, q));
}

TEST(Headers, AreCaseInsensitive) {
    Request r;
    r.headers = {{"content-type", "application/json"}};
    EXPECT_EQ(r.Header("Content-Type"), "application/json");
    Response resp;
    resp.SetHeader("ETag", "\"1\"");
    resp.SetHeader("etag", "\"2\"");
    EXPECT_EQ(resp.headers.size(), 1u);
    EXPECT_EQ(resp.Header("ETAG"), "\"2\"");
}

}  // namespace
}  // namespace uxf::gateway
