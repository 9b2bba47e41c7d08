#include "uxf/knowledge/patterns.hpp"

#include <gtest/gtest.h>

#include <set>

namespace uxf::knowledge {
namespace {

// The library's shape; whether each pattern is a valid flow in every locale is checked with the flow validator
// where both modules meet (gateway/routes/patterns_test.cpp).
TEST(Patterns, TheLibraryHoldsAtLeastFortyPatternsEachInFourLanguages) {
    auto all = BuiltInPatterns();
    ASSERT_GE(all.size(), 40u);
    std::set<std::string> ids;
    for (const auto& p : all) {
        EXPECT_TRUE(ids.insert(p.id).second) << p.id;
        EXPECT_FALSE(p.tags.empty()) << p.id;
        for (const char* locale : kPatternLocales) {
            ASSERT_TRUE(p.locales.contains(locale)) << p.id << " " << locale;
            const auto& t = p.locales.at(locale);
            EXPECT_FALSE(t.name.empty()) << p.id << " " << locale;
            EXPECT_FALSE(t.description.empty()) << p.id << " " << locale;
            for (const auto& n : p.nodes) EXPECT_TRUE(t.labels.contains(n.id)) << p.id << " " << locale << " " << n.id;
        }
        // An edge labelled in one language is labelled in all.
        for (const auto& e : p.edges) {
            bool en = p.locales.at("en").labels.contains(e.id);
            for (const char* locale : kPatternLocales)
                EXPECT_EQ(p.locales.at(locale).labels.contains(e.id), en) << p.id << " " << locale << " " << e.id;
        }
    }
    ASSERT_NE(FindPattern("password-reset"), nullptr);
    EXPECT_EQ(FindPattern("password-reset")->Text("de").name, "Passwort zurücksetzen");
    EXPECT_EQ(FindPattern("password-reset")->Text("xx").name, "Password reset");  // English otherwise
    EXPECT_EQ(FindPattern("no-such-pattern"), nullptr);
}

}  // namespace
}  // namespace uxf::knowledge
