// Every pattern of the library, in every language, is a flow the model accepts and the validator finds nothing
// wrong with.
#include "patterns.hpp"

#include <gtest/gtest.h>

#include "uxf/flows/analysis.hpp"

namespace uxf::gateway {
namespace {

TEST(Patterns, EveryPatternIsAValidFlowInEveryLanguage) {
    flows::FlowSettings limits;
    for (const auto& p : knowledge::BuiltInPatterns())
        for (const char* locale : knowledge::kPatternLocales) {
            auto draft = DraftFromPattern(p, locale);
            ASSERT_TRUE(draft.ok()) << p.id;
            auto checked = flows::CheckDraft(*draft, limits);
            std::string errors;
            if (!checked.ok())
                for (const auto& e : checked.error().errors) errors += e.field + ": " + e.message + "; ";
            EXPECT_TRUE(checked.ok()) << p.id << " " << locale << ": " << errors;
            std::string findings;
            for (const auto& d : flows::Validate(*draft)) findings += d.code + " " + d.message + "; ";
            EXPECT_EQ(findings, "") << p.id << " " << locale;  // no error and no warning either
            EXPECT_GE(draft->nodes.size(), 5u) << p.id;
            for (const auto& n : draft->nodes) EXPECT_FALSE(n.label.empty()) << p.id << " " << locale << " " << n.id;
        }
}

TEST(Patterns, LocalesAndNames) {
    const auto* p = knowledge::FindPattern("password-reset");
    ASSERT_NE(p, nullptr);
    auto fr = DraftFromPattern(*p, "fr", "  ");
    ASSERT_TRUE(fr.ok());
    EXPECT_EQ(fr->name, p->Text("fr").name);
    EXPECT_EQ(DraftFromPattern(*p, "de", "Mein Reset")->name, "Mein Reset");
    EXPECT_EQ(PatternLocale("").value(), "en");
    EXPECT_EQ(PatternLocale("es").value(), "es");
    EXPECT_EQ(PatternLocale("it").error().errors.at(0).field, "locale");
}

}  // namespace
}  // namespace uxf::gateway
