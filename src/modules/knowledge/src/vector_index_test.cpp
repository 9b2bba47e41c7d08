#include "vector_index.hpp"

#include "random_unit.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <random>
#include <set>

namespace uxf::knowledge {
namespace {

constexpr std::size_t kDims = 24;

std::vector<float> Unit(std::mt19937& rng) { return testing::RandomUnit(rng, kDims); }

// `n` documents of `per` random chunks each ("d3" holds "d3.0" ...).
void Fill(VectorIndex& index, std::mt19937& rng, int n, int per, int first = 0) {
    for (int d = first; d < first + n; ++d) {
        std::vector<ChunkRef> refs;
        std::vector<float> flat;
        for (int c = 0; c < per; ++c) {
            refs.push_back({"d" + std::to_string(d) + "." + std::to_string(c), "d" + std::to_string(d)});
            auto v = Unit(rng);
            flat.insert(flat.end(), v.begin(), v.end());
        }
        index.PutDocument("d" + std::to_string(d), refs, flat);
    }
    index.Settle();
}

std::vector<std::string> Ids(const std::vector<VectorIndex::Hit>& hits) {
    std::vector<std::string> out;
    for (const auto& h : hits) out.push_back(h.chunk->chunk_id);
    return out;
}

TEST(VectorIndex, AnExactScanFindsTheNearestFirstAndHonoursTheDocumentFilter) {
    VectorIndex index(kDims, {});
    std::mt19937 rng(7);
    Fill(index, rng, 10, 5);
    EXPECT_EQ(index.size(), 50u);
    EXPECT_FALSE(index.uses_graph());
    auto all = index.Search(Unit(rng), 50);
    ASSERT_EQ(all.size(), 50u);
    for (std::size_t i = 1; i < all.size(); ++i) EXPECT_GE(all[i - 1].score, all[i].score);
    auto only = index.Search(Unit(rng), 10, "d3");
    ASSERT_EQ(only.size(), 5u);
    for (const auto& h : only) EXPECT_EQ(h.chunk->document_id, "d3");
    EXPECT_TRUE(index.Search(Unit(rng), 10, "nope").empty());
    EXPECT_TRUE(index.Search(std::vector<float>(kDims - 1), 10).empty());  // another model's dimensions
}

TEST(VectorIndex, ReplacingAndRemovingDocumentsChangesWhatIsFound) {
    VectorIndex index(kDims, {});
    std::mt19937 rng(11);
    Fill(index, rng, 3, 4);
    auto target = Unit(rng);
    index.PutDocument("d1", {{"new", "d1"}}, target);  // d1 now holds one chunk: exactly the query
    EXPECT_EQ(index.size(), 9u);
    auto hits = index.Search(target, 3);
    ASSERT_FALSE(hits.empty());
    EXPECT_EQ(hits[0].chunk->chunk_id, "new");
    EXPECT_NEAR(hits[0].score, 1.0, 1e-5);
    for (const auto& id : Ids(index.Search(target, 20))) EXPECT_NE(id.substr(0, 3), "d1.");
    index.RemoveDocument("d1");
    index.RemoveDocument("d1");  // twice is fine
    EXPECT_EQ(index.size(), 8u);
    for (const auto& id : Ids(index.Search(target, 20))) EXPECT_NE(id, "new");
    EXPECT_THROW(index.PutDocument("d9", {{"a", "d9"}}, std::vector<float>(kDims + 1)), std::invalid_argument);
}

// Above the threshold the graph answers; its results are those of the exact scan (recall@10 near 1 on random data,
// the hardest case for a graph), and removed documents never come back, also after the index compacts itself.
TEST(VectorIndex, TheGraphAgreesWithTheExactScanAndForgetsRemovedDocuments) {
    VectorIndexSettings small;
    small.hnsw_threshold = 300;
    VectorIndex graph(kDims, small);
    VectorIndex exact(kDims, {});
    std::mt19937 a(3), b(3);
    Fill(graph, a, 200, 5);
    Fill(exact, b, 200, 5);
    ASSERT_TRUE(graph.uses_graph());
    ASSERT_FALSE(exact.uses_graph());
    for (int d = 0; d < 200; d += 2) {
        graph.RemoveDocument("d" + std::to_string(d));
        exact.RemoveDocument("d" + std::to_string(d));
    }
    EXPECT_EQ(graph.size(), 500u);
    EXPECT_FALSE(graph.NeedsGraphBuild());  // as many removed as live: not yet rebuilt
    EXPECT_TRUE(graph.uses_graph());
    std::mt19937 q(99);
    std::size_t found = 0, wanted = 0;
    for (int i = 0; i < 50; ++i) {
        auto v = Unit(q);
        auto want = Ids(exact.Search(v, 10));
        auto got = Ids(graph.Search(v, 10));
        std::set<std::string> got_set(got.begin(), got.end());
        for (const auto& id : got) EXPECT_EQ(std::stoi(id.substr(1)) % 2, 1) << id;  // never a removed one
        for (const auto& id : want) found += got_set.contains(id);
        wanted += want.size();
    }
    EXPECT_GE(double(found) / double(wanted), 0.95);
    // Removing most of it brings the exact scan back.
    for (int d = 1; d < 190; d += 2) graph.RemoveDocument("d" + std::to_string(d));
    EXPECT_EQ(graph.size(), 25u);
    EXPECT_TRUE(graph.NeedsGraphBuild());
    graph.Settle();
    EXPECT_FALSE(graph.uses_graph());
    EXPECT_EQ(graph.Search(Unit(q), 100).size(), 25u);
}

// A graph built beside the index takes in what changed while it was built: documents put and removed meanwhile.
TEST(VectorIndex, AGraphBuiltBesideTheIndexTakesInTheChangesMadeMeanwhile) {
    VectorIndexSettings small;
    small.hnsw_threshold = 200;
    VectorIndex index(kDims, small);
    std::mt19937 rng(5);
    Fill(index, rng, 60, 5);  // Fill settles: a graph of 300
    ASSERT_TRUE(index.uses_graph());
    for (int d = 0; d < 40; ++d) index.RemoveDocument("d" + std::to_string(d));  // 200 removed, 100 live
    Fill(index, rng, 30, 5, 100);  // 150 more, and settled: a new graph of 250
    EXPECT_FALSE(index.NeedsGraphBuild());
    for (int d = 100; d < 128; ++d) index.RemoveDocument("d" + std::to_string(d));  // 140 removed, 110 live
    ASSERT_TRUE(index.NeedsGraphBuild());
    // A build that is stopped changes nothing, and the next one is due again.
    std::atomic<bool> stop = true;
    auto stopped = index.StartGraphBuild();
    ASSERT_TRUE(stopped);
    stopped->Run(stop);
    index.FinishGraphBuild(std::move(stopped));
    ASSERT_TRUE(index.NeedsGraphBuild());
    stop = false;
    auto build = index.StartGraphBuild();
    ASSERT_TRUE(build);
    EXPECT_FALSE(index.NeedsGraphBuild());  // one at a time
    auto kept = Unit(rng);
    index.PutDocument("late", {{"late.0", "late"}}, kept);  // while it builds
    index.RemoveDocument("d45");
    build->Run(stop);
    index.FinishGraphBuild(std::move(build));
    EXPECT_TRUE(index.uses_graph());
    EXPECT_EQ(index.size(), 110u - 5u + 1u);
    auto hits = index.Search(kept, 200);
    ASSERT_FALSE(hits.empty());
    EXPECT_EQ(hits[0].chunk->chunk_id, "late.0");
    EXPECT_NEAR(hits[0].score, 1.0, 1e-5);
    EXPECT_GE(hits.size(), 100u);  // the graph's search is approximate: nearly all of the 106
    for (const auto& h : hits) EXPECT_NE(h.chunk->document_id, "d45");
    EXPECT_EQ(index.Search(kept, 200, "d128").size(), 5u);
}

}  // namespace
}  // namespace uxf::knowledge
