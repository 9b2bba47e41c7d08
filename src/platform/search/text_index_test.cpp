#include "uxf/platform/text_index.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "uxf/testing/test_database.hpp"

namespace uxf::search {
namespace {

class TextIndexTest : public ::testing::Test {
  protected:
    TextIndexTest() { db::Migrate(db(), db::PlatformMigrations()); }
    db::Database& db() { return tdb_.db(); }
    void Put(TextIndex& index, std::string scope, std::string group, std::string key, std::string terms) {
        db().Write([&](db::Tx& tx) { index.Put(tx, scope, group, key, terms); });
    }
    std::string Keys(TextIndex& index, std::string scope, std::vector<std::string> words, std::string group = "",
                     std::size_t k = 10) {
        auto hits = db().Read([&](db::Tx& tx) { return index.Search(tx, scope, words, k, group); });
        std::string out;
        for (const auto& h : hits) out += h.key + "(" + h.group + ") ";
        return out;
    }
    uxf::testing::TestDatabase tdb_;
};

TEST_F(TextIndexTest, FindsAnyWordWithinOneScopeMostRelevantFirst) {
    auto index = OpenTextIndex(db().backend(), "docs");
    Put(*index, "wsp_a", "doc_1", "c1", "refund polici money back within fourteen day");
    Put(*index, "wsp_a", "doc_1", "c2", "refund refund refund");
    Put(*index, "wsp_a", "doc_2", "c3", "ship time europ three day");
    Put(*index, "wsp_b", "doc_9", "c9", "refund for another team");
    EXPECT_EQ(Keys(*index, "wsp_a", {"refund"}), "c2(doc_1) c1(doc_1) ");
    EXPECT_EQ(Keys(*index, "wsp_a", {"day", "nothing"}), Keys(*index, "wsp_a", {"day"}));
    EXPECT_EQ(Keys(*index, "wsp_b", {"refund"}), "c9(doc_9) ");  // never another workspace's entries
    EXPECT_EQ(Keys(*index, "wsp_c", {"refund"}), "");
    EXPECT_EQ(Keys(*index, "wsp_a", {"day"}, "doc_2"), "c3(doc_2) ");
    auto one = Keys(*index, "wsp_a", {"refund", "day"}, "", 1);  // k bounds the answer
    EXPECT_EQ(std::count(one.begin(), one.end(), ' '), 1) << one;
    EXPECT_EQ(Keys(*index, "wsp_a", {}), "");
    // Words are data, never query syntax.
    EXPECT_EQ(Keys(*index, "wsp_a", {"a\"b", "o'neil", "NOT", "*", ")"}), "");
}

TEST_F(TextIndexTest, EntriesAreReplacedAndRemovedByGroupAndIndexesAreApart) {
    auto docs = OpenTextIndex(db().backend(), "docs"), patterns = OpenTextIndex(db().backend(), "patterns");
    Put(*docs, "wsp_a", "doc_1", "c1", "old word");
    auto row_id = [&] {
        return db().Read(
            [](db::Tx& tx) { return tx.QueryOne("SELECT id FROM text_index_rows WHERE key = 'c1'")->Int(0); });
    };
    auto first = row_id();
    Put(*docs, "wsp_a", "doc_1", "c1", "old word");  // unchanged: the entry is left as it is, nothing rewritten
    EXPECT_EQ(row_id(), first);
    Put(*docs, "wsp_a", "doc_1", "c1", "new word");
    Put(*docs, "wsp_a", "doc_2", "c2", "word");
    Put(*patterns, "wsp_a", "p", "p1", "word");
    EXPECT_EQ(Keys(*docs, "wsp_a", {"old"}), "");
    EXPECT_EQ(Keys(*docs, "wsp_a", {"new"}), "c1(doc_1) ");
    EXPECT_EQ(Keys(*patterns, "wsp_a", {"word"}), "p1(p) ");
    db().Write([&](db::Tx& tx) { docs->RemoveGroup(tx, "doc_1"); });
    EXPECT_EQ(Keys(*docs, "wsp_a", {"word", "new"}), "c2(doc_2) ");
    EXPECT_EQ(Keys(*patterns, "wsp_a", {"word"}), "p1(p) ");
}

}  // namespace
}  // namespace uxf::search
