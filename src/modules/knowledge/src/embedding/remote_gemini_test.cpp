// The gemini provider against a local fake of batchEmbedContents: the wire format (task types included), batches of
// at most 100, retries and error messages.
#include <gtest/gtest.h>

#include <atomic>

#include "remote_test_helpers.hpp"

namespace uxf::knowledge::embedding {
namespace {

using namespace remote_test;

TEST(GeminiEmbeddings, SendsTheWireFormatWithTheKeyInItsHeader) {
    FakeHttpServer server([](const FakeRequest& r) { return GeminiAnswer(r); });
    Sleeps sleeps;
    auto p = MakeGeminiEmbeddings(Gemini(server), sleeps.Options());
    EXPECT_EQ(p->provider(), "gemini");
    EXPECT_EQ(p->model(), "gemini-embedding-001");
    std::vector<std::string> texts{"Rückerstattung", "refund"};
    auto v = p->Embed(texts, std::vector<std::string>{"de", "en"});
    for (std::size_t i = 0; i < 2; ++i) ExpectNear(v[i], Normalised(texts[i]));
    auto r = server.requests().at(0);
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.target, "/v1beta/models/gemini-embedding-001:batchEmbedContents");
    EXPECT_EQ(r.Header("x-goog-api-key"), "AIza-test-secret");
    EXPECT_EQ(r.Header("authorization"), "");
    EXPECT_EQ(r.Header("content-type"), "application/json");
    EXPECT_EQ(r.body,
              R"({"requests":[{"model":"models/gemini-embedding-001","content":{"parts":[{"text":"Rückerstattung"}]},)"
              R"("taskType":"RETRIEVAL_DOCUMENT"},{"model":"models/gemini-embedding-001","content":{"parts":)"
              R"([{"text":"refund"}]},"taskType":"RETRIEVAL_DOCUMENT"}]})");
}

TEST(GeminiEmbeddings, SendsQueriesAsRetrievalQueryAndDocumentsAsRetrievalDocument) {
    FakeHttpServer server([](const FakeRequest& r) { return GeminiAnswer(r); });
    Sleeps sleeps;
    auto p = MakeGeminiEmbeddings(Gemini(server), sleeps.Options());
    auto q = p->EmbedQueries(std::vector<std::string>{"refund", "Erstattung"}, std::vector<std::string>{"en", "de"});
    ExpectNear(q.at(1), Normalised("Erstattung"));
    p->Embed(std::vector<std::string>{"Refunds are paid within 14 days."}, Langs(1));
    auto requests = server.requests();
    ASSERT_EQ(requests.size(), 2u);
    auto queries = ParseJson(requests[0].body).at("requests").as_array();
    ASSERT_EQ(queries.size(), 2u);
    for (const auto& r : queries) EXPECT_EQ(r.at("taskType").as_string(), "RETRIEVAL_QUERY");
    EXPECT_EQ(ParseJson(requests[1].body).at("requests").at(0).at("taskType").as_string(), "RETRIEVAL_DOCUMENT");
}

TEST(GeminiEmbeddings, SendsAtMostOneHundredTextsARequestAndAsksForDimensions) {
    FakeHttpServer server([](const FakeRequest& r) { return GeminiAnswer(r, 6); });
    auto s = Gemini(server);
    s.model = "models/text-embedding-005";
    s.base_url += "/v1beta/";
    s.batch = 1000;
    s.dimensions = 6;
    Sleeps sleeps;
    auto p = MakeGeminiEmbeddings(s, sleeps.Options());
    EXPECT_EQ(p->model(), "text-embedding-005@6");
    std::vector<std::string> texts;
    for (int i = 0; i < 250; ++i) texts.push_back("text " + std::to_string(i));
    auto v = p->Embed(texts, Langs(texts.size()));
    ASSERT_EQ(v.size(), 250u);
    ExpectNear(v[249], Normalised("text 249", 6));
    auto requests = server.requests();
    ASSERT_EQ(requests.size(), 3u);
    EXPECT_EQ(requests[0].target, "/v1beta/models/text-embedding-005:batchEmbedContents");
    auto first = ParseJson(requests[0].body).at("requests").as_array();
    EXPECT_EQ(first.size(), 100u);
    EXPECT_EQ(first[0].at("outputDimensionality").as_int64(), 6);
    EXPECT_EQ(first[0].at("model").as_string(), "models/text-embedding-005");
    EXPECT_EQ(ParseJson(requests[2].body).at("requests").as_array().size(), 50u);
}

TEST(GeminiEmbeddings, CarriesTheApisErrorAndStatus) {
    FakeHttpServer server([](const FakeRequest& r) {  // echoes the key back, as some proxies do
        return FakeResponse::Json(R"({"error":{"code":400,"message":"API key not valid: )" +
                                      r.Header("x-goog-api-key") + R"(","status":"INVALID_ARGUMENT"}})",
                                  400);
    });
    Sleeps sleeps;
    auto e = EmbedError(*MakeGeminiEmbeddings(Gemini(server), sleeps.Options()), {"a"});
    EXPECT_FALSE(e.transient);
    EXPECT_EQ(std::string(e.what()), "gemini embeddings: HTTP 400: API key not valid: *** (INVALID_ARGUMENT)");
    EXPECT_EQ(std::string(e.what()).find("AIza-test-secret"), std::string::npos);
}

TEST(GeminiEmbeddings, RetriesResourceExhaustedThenSucceeds) {
    std::atomic<int> n = 0;
    FakeHttpServer server([&n](const FakeRequest& r) {
        if (++n < 3)
            return FakeResponse::Json(
                R"({"error":{"code":429,"message":"Resource has been exhausted","status":"RESOURCE_EXHAUSTED"}})", 429);
        return GeminiAnswer(r);
    });
    Sleeps sleeps;
    auto v = MakeGeminiEmbeddings(Gemini(server), sleeps.Options())->Embed(std::vector<std::string>{"a"}, Langs(1));
    ExpectNear(v[0], Normalised("a"));
    EXPECT_EQ(server.request_count(), 3u);
    EXPECT_EQ(sleeps.waits.size(), 2u);
}

TEST(GeminiEmbeddings, AWrongNumberOfVectorsIsAnError) {
    FakeHttpServer server(
        [](const FakeRequest&) { return FakeResponse::Json(R"({"embeddings":[{"values":[1,2,3]}]})"); });
    Sleeps sleeps;
    auto e = EmbedError(*MakeGeminiEmbeddings(Gemini(server), sleeps.Options()), {"a", "b"});
    EXPECT_FALSE(e.transient);
    EXPECT_EQ(std::string(e.what()), "gemini embeddings: unexpected answer: 1 vectors for 2 texts");
}

}  // namespace
}  // namespace uxf::knowledge::embedding
