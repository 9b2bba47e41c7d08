#include "chunk.hpp"

#include <gtest/gtest.h>

#include <fmt/format.h>

namespace uxf::knowledge {
namespace {

Block H(int level, std::string text) { return {Block::Kind::kHeading, level, std::move(text)}; }
Block P(std::string text) { return {Block::Kind::kParagraph, 0, std::move(text)}; }

// A paragraph of `sentences` sentences of ten words each, numbered so every sentence is distinct.
std::string Para(int id, int sentences) {
    std::string out;
    for (int s = 0; s < sentences; ++s)
        out += fmt::format("{}Word{}x{} two three four five six seven eight nine ten.", out.empty() ? "" : " ", id, s);
    return out;
}

TEST(Chunk, SectionsAreChunkedApartWithTheirHeadingPath) {
    auto chunks = ChunkBlocks({P("Intro before any heading."), H(1, "Refunds"), P("Money back in 14 days."),
                               H(2, "Shipping"), P("Returns are free."), H(3, "Abroad"), P("Customs apply."),
                               H(2, "Exceptions"), H(1, "Contact"), P("Call us.")});
    ASSERT_EQ(chunks.size(), 5u);
    EXPECT_EQ(chunks[0].heading, "");
    EXPECT_EQ(chunks[1].heading, "Refunds");
    EXPECT_EQ(chunks[2].heading, "Refunds > Shipping");
    EXPECT_EQ(chunks[3].heading, "Refunds > Shipping > Abroad");
    EXPECT_EQ(chunks[3].text, "Customs apply.");
    EXPECT_EQ(chunks[4].heading, "Contact");  // the empty section "Exceptions" makes no chunk
    EXPECT_EQ(chunks[4].words, 2u);
}

TEST(Chunk, LongSectionsBecomeChunksOfWholeParagraphsWithOverlap) {
    std::vector<Block> blocks{H(1, "Guide")};
    for (int i = 0; i < 30; ++i) blocks.push_back(P(Para(i, 6)));  // 30 paragraphs of 60 words: 1,800 words
    ChunkSettings s;                                               // 200-400 words, 40 carried
    auto chunks = ChunkBlocks(blocks, s);
    ASSERT_GE(chunks.size(), 5u);
    std::size_t fresh_total = 0;
    for (std::size_t i = 0; i < chunks.size(); ++i) {
        const auto& c = chunks[i];
        EXPECT_EQ(c.heading, "Guide");
        EXPECT_LE(c.words, s.max_words) << i;
        if (i + 1 < chunks.size()) {
            EXPECT_GE(c.words, s.min_words) << i;
        }
        EXPECT_EQ(c.words, CountWords(c.text));
        if (i > 0) {
            // It starts with the last four sentences (40 words) of the chunk before.
            std::string prev_tail = chunks[i - 1].text.substr(chunks[i - 1].text.size() - 100);
            EXPECT_NE(c.text.find(prev_tail.substr(prev_tail.find(' ') + 1, 30)), std::string::npos) << i;
            fresh_total += c.words - 40;
        } else {
            fresh_total += c.words;
        }
    }
    EXPECT_EQ(fresh_total, 1800u);  // every word is in some chunk, and only the overlap twice
}

TEST(Chunk, RunOnTextIsCutToTheLimit) {
    std::string run_on;
    for (int i = 0; i < 1000; ++i) run_on += fmt::format("w{} ", i);
    auto chunks = ChunkBlocks({P(run_on)}, {200, 400, 40});
    ASSERT_GE(chunks.size(), 3u);
    for (const auto& c : chunks) EXPECT_LE(c.words, 400u);
    EXPECT_EQ(chunks.front().text.substr(0, 6), "w0 w1 ");
    EXPECT_NE(chunks.back().text.find("w999"), std::string::npos);
    EXPECT_TRUE(ChunkBlocks({}, {}).empty());
}

TEST(Chunk, IdsAreStableForTheSameTextAndDistinctOtherwise) {
    EXPECT_EQ(ChunkId("doc_1", "hello", 0), ChunkId("doc_1", "hello", 0));
    EXPECT_NE(ChunkId("doc_1", "hello", 0), ChunkId("doc_1", "hello", 1));
    EXPECT_NE(ChunkId("doc_1", "hello", 0), ChunkId("doc_2", "hello", 0));
    EXPECT_NE(ChunkId("doc_1", "hello", 0), ChunkId("doc_1", "hello!", 0));
    EXPECT_EQ(ChunkId("doc_1", "hello", 0).size(), 28u);
}

}  // namespace
}  // namespace uxf::knowledge
