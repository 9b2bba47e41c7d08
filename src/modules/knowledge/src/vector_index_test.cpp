#include "vector_index.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>

namespace uxf::knowledge {
namespace {

constexpr std::size_t kDims = 24;

std::vector<float> Unit(std::mt19937& rng) {
    std::normal_distribution<float> normal;
    std::vector<float> v(kDims);
    double norm = 0;
    for (float& x : v) {
        x = normal(rng);
        norm += double(x) * x;
    }
    for (float& x : v) x = static_cast<float>(x / std::sqrt(norm));
    return v;
}

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
    EXPECT_TRUE(graph.uses_graph());  // still above half the threshold after compacting
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
    EXPECT_FALSE(graph.uses_graph());
    EXPECT_EQ(graph.Search(Unit(q), 100).size(), 25u);
}

}  // namespace
}  // namespace uxf::knowledge
