// What the remote providers share: giving up quickly on a search's query (EmbedQueries), the error messages read from
// the providers' answers, and the choice of provider by settings.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "remote_test_helpers.hpp"

namespace uxf::knowledge::embedding {
namespace {

using namespace remote_test;

// A search's query gives up after two tries, each cut at UXFLOW_EMBEDDINGS_QUERY_TIMEOUT_MS, where documents wait
// for the same slow answer (UXFLOW_EMBEDDINGS_TIMEOUT_MS, 30 s here).
TEST(RemoteEmbeddingsQueries, GiveUpAfterTwoTriesEachWithinTheQueryTimeout) {
    for (const std::string provider : {"openai", "gemini"}) {
        FakeHttpServer server([](const FakeRequest& r) {
            std::this_thread::sleep_for(milliseconds(1000));
            return r.target.ends_with(":batchEmbedContents") ? GeminiAnswer(r) : OpenAiAnswer(r);
        });
        const bool gemini = provider == "gemini";
        auto s = gemini ? Gemini(server) : OpenAi(server);
        s.query_timeout_ms = 150;
        Sleeps sleeps;
        auto p = gemini ? MakeGeminiEmbeddings(s, sleeps.Options()) : MakeOpenAiEmbeddings(s, sleeps.Options());
        const auto start = std::chrono::steady_clock::now();
        auto e = QueryError(*p, {"refund"});
        const auto took = std::chrono::steady_clock::now() - start;
        EXPECT_TRUE(e.transient) << provider;
        EXPECT_NE(std::string(e.what()).find("(after 2 tries)"), std::string::npos) << e.what();
        EXPECT_EQ(server.request_count(), 2u) << provider;
        EXPECT_EQ(sleeps.waits.size(), 1u) << provider;   // recorded, not slept
        EXPECT_GE(took, milliseconds(250)) << provider;   // two tries of 150 ms
        EXPECT_LT(took, milliseconds(1800)) << provider;  // neither waited for the 1 s answer (2 s if both had)

        auto v = p->Embed(std::vector<std::string>{"refund"}, Langs(1));
        ExpectNear(v.at(0), Normalised("refund"));
        EXPECT_EQ(server.request_count(), 3u) << provider;
    }
}

TEST(RemoteEmbeddingsQueries, WaitAtMostASecondBetweenTheirTries) {
    FakeHttpServer server([](const FakeRequest&) {
        return FakeResponse{429,
                            {{"Retry-After", "30"}, {"Content-Type", "application/json"}},
                            R"({"error":{"message":"Rate limit reached","code":"rate_limit_exceeded"}})"};
    });
    Sleeps sleeps;
    auto p = MakeOpenAiEmbeddings(OpenAi(server), sleeps.Options());
    auto e = QueryError(*p, {"refund"});
    EXPECT_TRUE(e.transient);
    EXPECT_EQ(std::string(e.what()),
              "openai embeddings: HTTP 429: Rate limit reached (rate_limit_exceeded) (after 2 tries)");
    EXPECT_EQ(server.request_count(), 2u);
    EXPECT_EQ(sleeps.waits, std::vector<milliseconds>{milliseconds(1000)});

    // Documents wait as long as the provider asks, up to 20 s, and try 4 times.
    EXPECT_EQ(std::string(EmbedError(*p, {"refund"}).what()),
              "openai embeddings: HTTP 429: Rate limit reached (rate_limit_exceeded) (after 4 tries)");
    EXPECT_EQ(server.request_count(), 6u);
    EXPECT_EQ(sleeps.waits, (std::vector<milliseconds>{milliseconds(1000), milliseconds(20'000), milliseconds(20'000),
                                                       milliseconds(20'000)}));
}

TEST(RemoteEmbeddingsQueries, AreEmbeddedAsDocumentsAre) {
    FakeHttpServer server([](const FakeRequest& r) { return OpenAiAnswer(r); });
    Sleeps sleeps;
    auto p = MakeOpenAiEmbeddings(OpenAi(server), sleeps.Options());
    auto v = p->EmbedQueries(std::vector<std::string>{"Erstattung", " ", "Erstattung"},
                             std::vector<std::string>{"de", "en", "fr"});
    ASSERT_EQ(v.size(), 3u);
    ExpectNear(v[0], Normalised("Erstattung"));
    EXPECT_EQ(v[1], std::vector<float>(3, 0.0f));
    ExpectNear(v[2], Normalised("Erstattung"));
    ASSERT_EQ(server.request_count(), 1u);
    EXPECT_EQ(server.requests()[0].body,
              R"({"model":"text-embedding-3-small","input":["Erstattung"],"encoding_format":"float"})");
    EXPECT_THROW(p->EmbedQueries(std::vector<std::string>{"a"}, std::vector<std::string>{}), std::invalid_argument);
}

TEST(ProviderErrorMessage, ReadsTheShapesProvidersAnswerWith) {
    EXPECT_EQ(ProviderErrorMessage(R"({"error":"model \"x\" not found, try pulling it first"})"),
              "model \"x\" not found, try pulling it first");
    EXPECT_EQ(ProviderErrorMessage(R"({"error":{"message":"bad","status":"NOT_FOUND","code":404}})"),
              "bad (NOT_FOUND)");
    EXPECT_EQ(ProviderErrorMessage(R"({"error":{"code":"model_not_found"}})"), "(model_not_found)");
    EXPECT_EQ(ProviderErrorMessage(""), "(no message)");
    EXPECT_EQ(ProviderErrorMessage("line one\nline two"), "line one line two");
    EXPECT_EQ(ProviderErrorMessage(std::string(300, 'x')), std::string(200, 'x') + "...");
}

TEST(OpenEmbeddings, BadSettingsFailNamingTheVariable) {
    auto fails = [](EmbeddingSettings e, std::string_view starts) {
        KnowledgeSettings s;
        s.embeddings = std::move(e);
        std::string why;
        try {
            OpenEmbeddings(s, why);
            ADD_FAILURE() << "accepted";
        } catch (const std::invalid_argument& x) {
            EXPECT_TRUE(std::string(x.what()).starts_with(starts)) << x.what();
        }
    };
    fails({.provider = "cohere"}, "UXFLOW_EMBEDDINGS_PROVIDER must be one of");
    fails({.provider = "openai"}, "UXFLOW_EMBEDDINGS_API_KEY is required with UXFLOW_EMBEDDINGS_PROVIDER=openai");
    fails({.provider = "gemini"}, "UXFLOW_EMBEDDINGS_API_KEY is required with UXFLOW_EMBEDDINGS_PROVIDER=gemini");
    fails({.provider = "openai-compatible", .model = "m"}, "UXFLOW_EMBEDDINGS_BASE_URL is required");
    fails({.provider = "openai-compatible", .base_url = "http://127.0.0.1:1"}, "UXFLOW_EMBEDDINGS_MODEL is required");
    fails({.provider = "openai", .base_url = "ftp://x", .api_key = "k"}, "UXFLOW_EMBEDDINGS_BASE_URL must start with");
}

TEST(OpenEmbeddings, ChoosesTheProviderTheSettingsName) {
    KnowledgeSettings s;
    s.vectors_file = "/nonexistent/file.vectors";
    std::string why;
    EXPECT_TRUE(OpenEmbeddings(s, why) == nullptr);  // local without its file
    EXPECT_FALSE(why.empty());

    s.embeddings = {.provider = "openai", .api_key = "k"};
    auto openai = OpenEmbeddings(s, why);
    ASSERT_NE(openai, nullptr);
    EXPECT_EQ(openai->provider() + "/" + openai->model(), "openai/text-embedding-3-small");

    s.embeddings = {.provider = "openai-compatible", .model = "bge-m3", .base_url = "http://127.0.0.1:11434"};
    EXPECT_EQ(OpenEmbeddings(s, why)->provider(), "openai-compatible");

    s.embeddings = {.provider = "gemini", .api_key = "k", .dimensions = 768};
    auto gemini = OpenEmbeddings(s, why);
    EXPECT_EQ(gemini->provider() + "/" + gemini->model(), "gemini/gemini-embedding-001@768");
    EXPECT_EQ(gemini->dimensions(), 768u);
}

}  // namespace
}  // namespace uxf::knowledge::embedding
