#include "term_counts.hpp"

#include <gtest/gtest.h>

#include "uxf/platform/database.hpp"
#include "uxf/platform/text_index.hpp"
#include "uxf/testing/test_database.hpp"

namespace uxf::knowledge {
namespace {

// 300 entries all holding "common", 2 of them "rare", in two scopes: counts are of the whole index.
TEST(TermCounts, CommonWordsAreLeftOutWhenRarerOnesRemain) {
    testing::TestDatabase tdb;
    db::Migrate(tdb.db(), db::PlatformMigrations());
    auto index = search::OpenTextIndex(tdb.db().backend(), "knowledge");
    tdb.db().Write([&](db::Tx& tx) {
        for (int i = 0; i < 300; ++i)
            index->Put(tx, i % 2 ? "ws_a" : "ws_b", "doc", "k" + std::to_string(i),
                       i < 2 ? "common rare" : "common filler");
    });
    TermCountSettings s;
    s.common_share = 0.1;
    s.common_floor = 10;
    TermCounts counts(s);
    auto distinctive = [&](std::vector<std::string> terms, bool or_rarest, Micros now = 0) {
        return tdb.db().Read([&](db::Tx& tx) { return counts.Distinctive(tx, *index, terms, now, or_rarest); });
    };
    EXPECT_EQ(tdb.db().Read([&](db::Tx& tx) { return index->Entries(tx); }), 300);
    EXPECT_EQ(distinctive({"common", "rare"}, true), std::vector<std::string>{"rare"});
    EXPECT_EQ(distinctive({"common", "filler"}, true), std::vector<std::string>{"filler"});  // the rarer of both
    EXPECT_TRUE(distinctive({"common"}, false).empty());  // hybrid: left to the meaning side
    EXPECT_EQ(distinctive({"common"}, true), std::vector<std::string>{"common"});
    EXPECT_EQ(distinctive({"nowhere", "common"}, true), std::vector<std::string>{"nowhere"});
    // Counts are cached: "rare" becoming common is seen once they are older than max_age.
    tdb.db().Write([&](db::Tx& tx) {
        for (int i = 0; i < 100; ++i) index->Put(tx, "ws_a", "doc2", "r" + std::to_string(i), "rare");
    });
    EXPECT_EQ(distinctive({"rare", "nowhere"}, true, kSecond), (std::vector<std::string>{"rare", "nowhere"}));
    EXPECT_EQ(distinctive({"rare", "nowhere"}, true, 11 * kMinute), std::vector<std::string>{"nowhere"});
}

}  // namespace
}  // namespace uxf::knowledge
