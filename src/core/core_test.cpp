#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "uxf/core/clock.hpp"
#include "uxf/core/ids.hpp"
#include "uxf/core/log.hpp"
#include "uxf/core/result.hpp"
#include "uxf/core/strings.hpp"

namespace uxf {
namespace {

TEST(Ids, HavePrefixAndAreUnique) {
    std::string a = NewId("usr");
    std::string b = NewId("usr");
    EXPECT_NE(a, b);
    EXPECT_TRUE(IsId(a, "usr"));
    EXPECT_FALSE(IsId(a, "wsp"));
    EXPECT_FALSE(IsId("usr_short", "usr"));
    EXPECT_FALSE(IsId("usr_" + std::string(26, '1'), "usr"));  // '1' is not base32
    EXPECT_EQ(a.size(), 4u + 26u);
}

TEST(Ids, CorrelationIdsHaveTheShapeAndDoNotRepeatAcrossThreads) {
    std::set<std::string> seen;
    std::mutex mu;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            std::vector<std::string> mine;
            for (int i = 0; i < 5000; ++i) mine.push_back(NewCorrelationId("req"));
            std::lock_guard lock(mu);
            seen.insert(mine.begin(), mine.end());
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(seen.size(), 20000u);
    for (const auto& id : seen) ASSERT_TRUE(IsId(id, "req")) << id;
}

TEST(Base32, Rfc4648Vectors) {
    EXPECT_EQ(Base32Encode(AsBytes("")), "");
    EXPECT_EQ(Base32Encode(AsBytes("f")), "MY");
    EXPECT_EQ(Base32Encode(AsBytes("fo")), "MZXQ");
    EXPECT_EQ(Base32Encode(AsBytes("foo")), "MZXW6");
    EXPECT_EQ(Base32Encode(AsBytes("foobar")), "MZXW6YTBOI");
    auto decoded = Base32Decode("mzxw 6ytb oi======");
    ASSERT_TRUE(decoded);
    EXPECT_EQ(std::string(decoded->begin(), decoded->end()), "foobar");
    EXPECT_FALSE(Base32Decode("MZ1W"));
}

TEST(Base64Url, RoundTripsAndRejectsBadChars) {
    std::vector<std::uint8_t> all(256);
    for (int i = 0; i < 256; ++i) all[i] = static_cast<std::uint8_t>(i);
    auto text = Base64UrlEncode(all);
    EXPECT_EQ(text.find_first_of("+/="), std::string::npos);
    auto back = Base64UrlDecode(text);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, all);
    EXPECT_EQ(Base64UrlEncode(AsBytes("foobar")), "Zm9vYmFy");
    EXPECT_FALSE(Base64UrlDecode("Zm9v+mFy"));
}

TEST(Strings, TrimLowerHexUrl) {
    EXPECT_EQ(Trim("  a b \n"), "a b");
    EXPECT_EQ(ToLower("AbC"), "abc");
    EXPECT_EQ(HexEncode(AsBytes("\x01\xff")), "01ff");
    EXPECT_EQ(UrlEncode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
}

TEST(Clock, FormatsRfc3339) {
    EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(FormatRfc3339(1'700'000'000'123'456), "2023-11-14T22:13:20.123Z");
    ManualClock clock(10);
    clock.Advance(5);
    EXPECT_EQ(clock.Now(), 15);
}

TEST(Result, CarriesValueOrError) {
    Result<int> good = 3;
    ASSERT_TRUE(good.ok());
    EXPECT_EQ(*good, 3);
    Result<int> bad = Error::NotFound("flow");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(bad.error().message, "the flow does not exist");
    Result<void> v = Ok();
    EXPECT_TRUE(v.ok());
}

TEST(Log, JsonEscapeKeepsLinesValid) { EXPECT_EQ(JsonEscape("a\"b\\c\n\x01"), "a\\\"b\\\\c\\n\\u0001"); }

}  // namespace
}  // namespace uxf
