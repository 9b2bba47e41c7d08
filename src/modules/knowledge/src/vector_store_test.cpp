#include "vector_store.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "documents.hpp"
#include "random_unit.hpp"
#include "uxf/knowledge/migrations.hpp"
#include "uxf/platform/database.hpp"
#include "uxf/testing/test_database.hpp"

namespace uxf::knowledge {
namespace {

constexpr std::size_t kDims = 16;
constexpr const char* kModel = "test/m";

class VectorStoreTest : public ::testing::Test {
  protected:
    VectorStoreTest() { db::Migrate(tdb_.db(), Migrations()); }

    std::vector<float> Unit() { return testing::RandomUnit(rng_, kDims); }

    // A document of `n` chunks with random vectors, stored as ingestion stores them (generation bumped); the
    // first chunk's vector is returned.
    std::vector<float> AddDocument(const std::string& ws, const std::string& id, int n) {
        std::vector<float> first;
        tdb_.db().Write([&](db::Tx& tx) {
            tx.Exec(
                "INSERT INTO knowledge_documents (id, workspace_id, title, content_type, content, size_bytes, status, "
                "created_at, created_by, updated_at, generation) VALUES (:id, :w, 't', 'text/plain', :c, 1, 'ready', "
                "0, 'u', 0, :g)",
                {id, ws, db::Blob{"x"}, BumpGeneration(tx, ws)});
            for (int i = 0; i < n; ++i) {
                auto v = Unit();
                if (i == 0) first = v;
                tx.Exec(
                    "INSERT INTO knowledge_chunks (id, document_id, workspace_id, ordinal, heading, text, language, "
                    "words, embedding, embedding_model) VALUES (:id, :d, :w, :o, '', 'text', 'en', 1, :e, :m)",
                    {id + "." + std::to_string(i), id, ws, std::int64_t{i}, db::Blob{PackVector(v)}, kModel});
            }
        });
        return first;
    }
    void Delete(const std::string& ws, const std::string& id) {
        tdb_.db().Write([&](db::Tx& tx) {
            tx.Exec("DELETE FROM knowledge_documents WHERE id = :id", {id});
            BumpGeneration(tx, ws);
        });
    }
    std::vector<std::string> Search(VectorStore& store, const std::string& ws, const std::vector<float>& q,
                                    std::size_t k) {
        return tdb_.db().Read([&](db::Tx& tx) {
            std::vector<std::string> ids;
            for (const auto& h : store.Search(tx, ws, kModel, q, k, "")) ids.push_back(h.chunk_id);
            return ids;
        });
    }

    uxf::testing::TestDatabase tdb_;
    std::mt19937 rng_{17};
};

// Above the threshold the graph is built on a thread of its own while the exact scan answers; once swapped in, it
// answers the same, and it follows later deletions and additions.
TEST_F(VectorStoreTest, TheGraphIsBuiltBesideTheExactScanAndFollowsChanges) {
    VectorIndexSettings small;
    small.hnsw_threshold = 100;
    VectorStore store(small, 64u << 20);
    std::vector<std::vector<float>> firsts;
    for (int d = 0; d < 30; ++d) firsts.push_back(AddDocument("ws_a", "d" + std::to_string(d), 5));
    EXPECT_EQ(Search(store, "ws_a", firsts[7], 1), std::vector<std::string>{"d7.0"});  // exact scan, graph building
    store.WaitForBuilds();
    EXPECT_EQ(Search(store, "ws_a", firsts[7], 1), std::vector<std::string>{"d7.0"});  // the graph
    Delete("ws_a", "d7");
    auto after = Search(store, "ws_a", firsts[7], 150);
    EXPECT_GE(after.size(), 140u);  // approximate: nearly all of the 145 left
    for (const auto& id : after) EXPECT_NE(id.substr(0, 3), "d7.");
    auto late = AddDocument("ws_a", "late", 3);
    EXPECT_EQ(Search(store, "ws_a", late, 1), std::vector<std::string>{"late.0"});
    EXPECT_TRUE(Search(store, "ws_b", late, 5).empty());  // another workspace holds none of it
    EXPECT_GT(store.MemoryBytes(), 150u * kDims * sizeof(float));
}

// Over the memory budget, the least recently searched workspace's index is dropped (and rebuilt when searched).
TEST_F(VectorStoreTest, TheLeastRecentlySearchedIndexGoesFirstWhenOverBudget) {
    auto a = AddDocument("ws_a", "a", 50);
    auto b = AddDocument("ws_b", "b", 50);
    VectorStore store({}, 1);  // room for one index at most
    EXPECT_EQ(Search(store, "ws_a", a, 1), std::vector<std::string>{"a.0"});
    std::size_t one = store.MemoryBytes();
    EXPECT_EQ(Search(store, "ws_b", b, 1), std::vector<std::string>{"b.0"});
    EXPECT_LE(store.MemoryBytes(), one * 3 / 2);  // ws_a's was dropped
    EXPECT_EQ(Search(store, "ws_a", a, 1), std::vector<std::string>{"a.0"});
}

}  // namespace
}  // namespace uxf::knowledge
