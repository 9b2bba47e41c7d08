// UTF-8 text: code points, the characters user text may hold, XML/HTML escaping.
#include "uxf/core/text.hpp"

#include <gtest/gtest.h>

namespace uxf {
namespace {

TEST(TextRules, ControlCharactersAndBrokenUtf8) {
    EXPECT_FALSE(TextProblem("Pay \"now\" <b> & ünï ✓ 🙂", TextKind::kLine));
    EXPECT_FALSE(TextProblem("two\nlines\tand a tab", TextKind::kMultiline));
    EXPECT_TRUE(TextProblem("two\nlines", TextKind::kLine));
    EXPECT_TRUE(TextProblem("tab\there", TextKind::kLine));
    for (std::string bad : {std::string("nul\0x", 5), std::string("cr\r\n"), std::string("esc\x1b[31m"),
                            std::string("del\x7f"), std::string("c1 \xc2\x85"), std::string("bell\a")}) {
        auto problem = TextProblem(bad, TextKind::kMultiline);
        ASSERT_TRUE(problem) << bad;
        EXPECT_NE(problem->find("control characters"), std::string::npos) << *problem;
    }
    EXPECT_NE(TextProblem(std::string("nul\0", 4), TextKind::kLine)->find("U+0000 at character 4"), std::string::npos);
    for (std::string bad : {"\xff", "\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "ok \xe2\x82"})
        EXPECT_NE(TextProblem(bad, TextKind::kMultiline).value_or("").find("UTF-8"), std::string::npos) << bad;
    EXPECT_TRUE(TextProblem("\xef\xbf\xbe", TextKind::kMultiline));  // U+FFFE is no XML character
}

TEST(TextRules, CodePointsRoundTripAndBadBytesAreStepped) {
    std::string all;
    for (long cp : {0x41L, 0xE9L, 0x20ACL, 0x1F642L, 0x10FFFFL}) AppendUtf8(all, cp);
    EXPECT_EQ(all, "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x99\x82\xf4\x8f\xbf\xbf");
    std::vector<long> back;
    for (std::size_t i = 0; i < all.size();) back.push_back(NextCodePoint(all, i));
    EXPECT_EQ(back, (std::vector<long>{0x41, 0xE9, 0x20AC, 0x1F642, 0x10FFFF}));
    std::string bad =
        "a\xff"
        "b\xc3";  // a stray byte, then a truncated sequence: each is one -1, then reading goes on
    std::vector<long> read;
    for (std::size_t i = 0; i < bad.size();) read.push_back(NextCodePoint(bad, i));
    EXPECT_EQ(read, (std::vector<long>{'a', -1, 'b', -1}));
    EXPECT_TRUE(IsValidUtf8(all));
    EXPECT_FALSE(IsValidUtf8(bad));
    EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));  // overlong
    EXPECT_EQ(Utf8Chars(all), 5u);
}

TEST(TextRules, XmlEscapingLeavesNoMarkupOfTheTextsMaking) {
    std::string out = "<p>";
    AppendXmlEscaped(out, std::string("a<b>&\"c\" 'd'\n\te") + '\x01');
    EXPECT_EQ(out, "<p>a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;&#10;&#9;e");
}

}  // namespace
}  // namespace uxf
