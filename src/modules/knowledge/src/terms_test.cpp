// The words chunks are indexed under and queries look for.
#include <gtest/gtest.h>

#include "documents.hpp"

namespace uxf::knowledge {
namespace {

bool Has(const std::vector<std::string>& terms, const std::string& t) {
    return std::find(terms.begin(), terms.end(), t) != terms.end();
}

TEST(Terms, ChunksAreIndexedWithoutTheirLanguagesStopWords) {
    EXPECT_EQ(IndexTerms("The refunds of the orders", "en"), "refund refunds order orders");
    EXPECT_EQ(IndexTerms("Die Bestellungen und die Erstattung", "de"), "bestell bestellungen erstatt erstattung");
    EXPECT_EQ(IndexTerms("the die", "other"), "the die");  // a language without a list keeps every word
}

TEST(Terms, QueriesLeaveOutStopWordsUnlessThatLeavesNothing) {
    auto en = QueryTerms("how long do we keep the invoices", "en");
    EXPECT_TRUE(Has(en, "invoices"));
    EXPECT_TRUE(Has(en, "invoic"));
    EXPECT_FALSE(Has(en, "the"));
    EXPECT_FALSE(Has(en, "we"));
    // Unknown language: stems in all four, and stop words of any of them left out.
    auto any = QueryTerms("die Bestellungen", "");
    EXPECT_TRUE(Has(any, "bestell"));
    EXPECT_FALSE(Has(any, "die"));
    // Nothing but stop words: searched as they are.
    auto only = QueryTerms("to be or not to be", "en");
    EXPECT_TRUE(Has(only, "be"));
    EXPECT_TRUE(Has(only, "not"));
}

}  // namespace
}  // namespace uxf::knowledge
