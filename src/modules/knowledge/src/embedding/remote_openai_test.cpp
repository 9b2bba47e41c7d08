// The openai and openai-compatible providers against a local fake of the API: the requests' wire format, batching,
// parsing, retries, error messages and the checks of the answers.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <fmt/format.h>

#include "remote_test_helpers.hpp"

namespace uxf::knowledge::embedding {
namespace {

using namespace remote_test;

TEST(OpenAiEmbeddings, SendsTheWireFormatAndPlacesVectorsByIndex) {
    FakeHttpServer server([](const FakeRequest& r) { return OpenAiAnswer(r); });
    Sleeps sleeps;
    auto p = MakeOpenAiEmbeddings(OpenAi(server), sleeps.Options());
    EXPECT_EQ(p->provider(), "openai");
    EXPECT_EQ(p->model(), "text-embedding-3-small");
    EXPECT_EQ(p->dimensions(), 0u);  // learnt from the first answer

    std::vector<std::string> texts{"refund policy", "Geld zurück", "x"};
    auto v = p->Embed(texts, std::vector<std::string>{"en", "de", "other"});
    ASSERT_EQ(v.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) ExpectNear(v[i], Normalised(texts[i]));
    EXPECT_EQ(p->dimensions(), 3u);

    auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    const auto& r = requests[0];
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.target, "/v1/embeddings");
    EXPECT_EQ(r.Header("authorization"), "Bearer sk-test-secret");
    EXPECT_EQ(r.Header("content-type"), "application/json");
    EXPECT_EQ(r.body, R"({"model":"text-embedding-3-small","input":["refund policy","Geld zurück","x"],)"
                      R"("encoding_format":"float"})");
}

TEST(OpenAiEmbeddings, SendsBatchesAsksForDimensionsAndSaysSoInTheModel) {
    FakeHttpServer server([](const FakeRequest& r) { return OpenAiAnswer(r, 4); });
    auto s = OpenAi(server);
    s.model = "text-embedding-3-large";
    s.batch = 2;
    s.dimensions = 4;
    Sleeps sleeps;
    auto p = MakeOpenAiEmbeddings(s, sleeps.Options());
    EXPECT_EQ(p->model(), "text-embedding-3-large@4");
    EXPECT_EQ(p->dimensions(), 4u);
    std::vector<std::string> texts{"a", "bb", "ccc", "dddd", "eeeee"};
    auto v = p->Embed(texts, Langs(5));
    for (std::size_t i = 0; i < 5; ++i) ExpectNear(v[i], Normalised(texts[i], 4));
    auto requests = server.requests();
    ASSERT_EQ(requests.size(), 3u);
    std::vector<std::size_t> sizes;
    for (const auto& r : requests) {
        auto body = ParseJson(r.body);
        sizes.push_back(body.at("input").as_array().size());
        EXPECT_EQ(body.at("dimensions").as_int64(), 4);
        EXPECT_EQ(body.at("model").as_string(), "text-embedding-3-large");
    }
    EXPECT_EQ(sizes, (std::vector<std::size_t>{2, 2, 1}));
    EXPECT_EQ(server.connection_count(), 1u);  // one kept-alive connection for the three
}

TEST(OpenAiEmbeddings, SendsEachDistinctTextOnceAndBlankTextsNotAtAll) {
    FakeHttpServer server([](const FakeRequest& r) { return OpenAiAnswer(r); });
    Sleeps sleeps;
    auto p = MakeOpenAiEmbeddings(OpenAi(server), sleeps.Options());
    // A short query, read as four languages by the search: one text for the provider.
    auto v = p->Embed(std::vector<std::string>(4, "Erstattung"), std::vector<std::string>{"en", "de", "es", "fr"});
    ASSERT_EQ(v.size(), 4u);
    for (const auto& x : v) ExpectNear(x, Normalised("Erstattung"));
    auto w = p->Embed(std::vector<std::string>{"a", " \n", "b", "a"}, Langs(4));
    ExpectNear(w[0], Normalised("a"));
    EXPECT_EQ(w[1], std::vector<float>(3, 0.0f));
    ExpectNear(w[2], Normalised("b"));
    ExpectNear(w[3], Normalised("a"));
    auto requests = server.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(ParseJson(requests[0].body).at("input"), (json::array{"Erstattung"}));
    EXPECT_EQ(ParseJson(requests[1].body).at("input"), (json::array{"a", "b"}));
    EXPECT_TRUE(p->Embed(std::vector<std::string>{}, std::vector<std::string>{}).empty());
    EXPECT_EQ(server.request_count(), 2u);
    EXPECT_THROW(p->Embed(std::vector<std::string>{"a"}, std::vector<std::string>{}), std::invalid_argument);
}

TEST(OpenAiCompatibleEmbeddings, TakesABaseUrlWithOrWithoutV1AndSendsNoKeyWhenItHasNone) {
    FakeHttpServer server([](const FakeRequest& r) { return OpenAiAnswer(r); });
    for (std::string base : {server.url(), server.url() + "/", server.url() + "/v1", server.url() + "/v1/"}) {
        EmbeddingSettings s;
        s.provider = "openai-compatible";
        s.base_url = base;
        s.model = "nomic-embed-text";
        Sleeps sleeps;
        auto p = MakeOpenAiEmbeddings(s, sleeps.Options());
        EXPECT_EQ(p->provider(), "openai-compatible");
        EXPECT_EQ(p->model(), "nomic-embed-text");
        p->Embed(std::vector<std::string>{"hello"}, Langs(1));
        auto r = server.requests().back();
        EXPECT_EQ(r.target, "/v1/embeddings") << base;
        EXPECT_EQ(r.Header("authorization"), "");
    }
}

TEST(OpenAiCompatibleEmbeddings, AnswersWithoutIndexAreTakenInOrder) {
    FakeHttpServer server([](const FakeRequest& r) {
        json::array data;
        const auto body = ParseJson(r.body);
        for (const auto& t : body.at("input").as_array())
            data.push_back(json::object{{"embedding", VectorOf(t.as_string())}});
        return FakeResponse::Json(json_text::Write(json::object{{"data", std::move(data)}}));
    });
    auto s = OpenAi(server);
    s.provider = "openai-compatible";
    s.model = "m";
    Sleeps sleeps;
    auto v = MakeOpenAiEmbeddings(s, sleeps.Options())->Embed(std::vector<std::string>{"a", "bb"}, Langs(2));
    ExpectNear(v[0], Normalised("a"));
    ExpectNear(v[1], Normalised("bb"));
}

TEST(OpenAiEmbeddings, RetriesTooManyRequestsAndUnavailableHonouringRetryAfterThenSucceeds) {
    std::atomic<int> n = 0;
    FakeHttpServer server([&n](const FakeRequest& r) {
        if (++n == 1)
            return FakeResponse{
                429,
                {{"Retry-After", "3"}, {"Content-Type", "application/json"}},
                R"({"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}})"};
        if (n == 2) return FakeResponse::Json(R"({"error":{"message":"overloaded"}})", 503);
        return OpenAiAnswer(r);
    });
    Sleeps sleeps;
    auto p = MakeOpenAiEmbeddings(OpenAi(server), sleeps.Options());
    auto v = p->Embed(std::vector<std::string>{"a"}, Langs(1));
    ExpectNear(v[0], Normalised("a"));
    EXPECT_EQ(server.request_count(), 3u);
    ASSERT_EQ(sleeps.waits.size(), 2u);
    EXPECT_EQ(sleeps.waits[0], milliseconds(3000));  // Retry-After
    EXPECT_LE(sleeps.waits[1], milliseconds(20));    // backoff: up to base * 2
}

TEST(OpenAiEmbeddings, AWrongKeyIsNotRetriedAndItsMessageIsCarried) {
    FakeHttpServer server([](const FakeRequest&) {
        return FakeResponse::Json(
            R"({"error":{"message":"Incorrect API key provided: sk-tes***cret.","type":"invalid_request_error",)"
            R"("param":null,"code":"invalid_api_key"}})",
            401);
    });
    Sleeps sleeps;
    auto p = MakeOpenAiEmbeddings(OpenAi(server), sleeps.Options());
    auto e = EmbedError(*p, {"a"});
    EXPECT_FALSE(e.transient);
    EXPECT_EQ(std::string(e.what()),
              "openai embeddings: HTTP 401: Incorrect API key provided: sk-tes***cret. "
              "(invalid_api_key)");
    EXPECT_EQ(server.request_count(), 1u);
    EXPECT_TRUE(sleeps.waits.empty());
}

TEST(OpenAiEmbeddings, OtherClientErrorsAreNotRetriedEither) {
    for (int status : {400, 403, 404}) {
        FakeHttpServer server([status](const FakeRequest&) {
            return FakeResponse::Json(R"({"error":{"message":"no","type":"invalid_request_error"}})", status);
        });
        Sleeps sleeps;
        auto e = EmbedError(*MakeOpenAiEmbeddings(OpenAi(server), sleeps.Options()), {"a"});
        EXPECT_FALSE(e.transient) << status;
        EXPECT_EQ(std::string(e.what()), fmt::format("openai embeddings: HTTP {}: no (invalid_request_error)", status));
        EXPECT_EQ(server.request_count(), 1u);
    }
}

TEST(OpenAiEmbeddings, AUsedUpQuotaIsNotRetried) {
    FakeHttpServer server([](const FakeRequest&) {
        return FakeResponse::Json(
            R"({"error":{"message":"You exceeded your current quota","type":"insufficient_quota",)"
            R"("code":"insufficient_quota"}})",
            429);
    });
    Sleeps sleeps;
    auto e = EmbedError(*MakeOpenAiEmbeddings(OpenAi(server), sleeps.Options()), {"a"});
    EXPECT_FALSE(e.transient);
    EXPECT_EQ(server.request_count(), 1u);
}

TEST(OpenAiEmbeddings, ServerErrorsAndDroppedConnectionsAreTransientOnceTheTriesRunOut) {
    FakeHttpServer server([](const FakeRequest&) { return FakeResponse{502, {}, "<html>Bad gateway</html>"}; });
    Sleeps sleeps;
    auto e = EmbedError(*MakeOpenAiEmbeddings(OpenAi(server), sleeps.Options()), {"a"});
    EXPECT_TRUE(e.transient);
    EXPECT_EQ(std::string(e.what()), "openai embeddings: HTTP 502: <html>Bad gateway</html> (after 4 tries)");
    EXPECT_EQ(server.request_count(), 4u);
    EXPECT_EQ(sleeps.waits.size(), 3u);

    FakeHttpServer dropping([](const FakeRequest&) {
        FakeResponse r;
        r.drop = true;
        return r;
    });
    Sleeps more;
    auto d = EmbedError(*MakeOpenAiEmbeddings(OpenAi(dropping), more.Options()), {"a"});
    EXPECT_TRUE(d.transient);
    EXPECT_NE(std::string(d.what()).find("(after 4 tries)"), std::string::npos) << d.what();
    EXPECT_EQ(dropping.request_count(), 4u);
}

TEST(OpenAiEmbeddings, ASlowProviderTimesOut) {
    FakeHttpServer server([](const FakeRequest& r) {
        std::this_thread::sleep_for(milliseconds(400));
        return OpenAiAnswer(r);
    });
    auto s = OpenAi(server);
    s.timeout_ms = 100;
    Sleeps sleeps;
    auto o = sleeps.Options();
    o.retry.max_attempts = 2;
    auto e = EmbedError(*MakeOpenAiEmbeddings(s, o), {"a"});
    EXPECT_TRUE(e.transient);
    EXPECT_NE(std::string(e.what()).find("(after 2 tries)"), std::string::npos) << e.what();
}

TEST(OpenAiEmbeddings, AnswersThatAreNotTheApisAreErrors) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"not json", "unexpected answer: not JSON"},
        {R"({"object":"list"})", "unexpected answer: no `data` array"},
        {R"({"data":[{"index":0,"embedding":[1,0]}]})", "unexpected answer: 1 vectors for 2 texts"},
        {R"({"data":[{"index":0,"embedding":[1,0]},{"index":0,"embedding":[0,1]}]})",
         "unexpected answer: `index` 0 twice or out of range for 2 texts"},
        {R"({"data":[{"index":0,"embedding":[1,0]},{"index":1,"embedding":[0,1,0]}]})",
         "unexpected answer: vectors of different sizes"},
        {R"({"data":[{"index":0,"embedding":[1,"x"]},{"index":1,"embedding":[0,1]}]})",
         "unexpected answer: a vector holds something other than numbers"},
        {R"({"data":[{"index":0,"embedding":"AAAA"},{"index":1,"embedding":[0,1]}]})",
         "unexpected answer: a vector is not an array of numbers"},
        {R"({"data":[{"index":0,"embedding":[1e300,0]},{"index":1,"embedding":[0,1]}]})",
         "unexpected answer: a vector holds a number out of range"},
        {R"({"data":[{"index":0,"embedding":[]},{"index":1,"embedding":[]}]})", "unexpected answer: an empty vector"},
    };
    for (const auto& [body, message] : cases) {
        FakeHttpServer server([body = body](const FakeRequest&) { return FakeResponse::Json(body); });
        Sleeps sleeps;
        auto e = EmbedError(*MakeOpenAiEmbeddings(OpenAi(server), sleeps.Options()), {"a", "b"});
        EXPECT_FALSE(e.transient) << body;
        EXPECT_EQ(std::string(e.what()), "openai embeddings: " + message) << body;
        EXPECT_EQ(server.request_count(), 1u);
    }
}

TEST(OpenAiEmbeddings, VectorsOfAnotherSizeThanAskedOrFirstSeenAreErrors) {
    std::atomic<std::size_t> dims = 3;
    FakeHttpServer server([&dims](const FakeRequest& r) { return OpenAiAnswer(r, dims); });
    auto s = OpenAi(server);
    s.dimensions = 8;
    Sleeps sleeps;
    auto asked = MakeOpenAiEmbeddings(s, sleeps.Options());
    EXPECT_EQ(std::string(EmbedError(*asked, {"a"}).what()),
              "openai embeddings: unexpected answer: vectors of 3 numbers, expected 8");

    auto learnt = MakeOpenAiEmbeddings(OpenAi(server), sleeps.Options());
    learnt->Embed(std::vector<std::string>{"a"}, Langs(1));
    EXPECT_EQ(learnt->dimensions(), 3u);
    dims = 5;  // the server's model changed under us: its vectors cannot sit beside the others
    auto e = EmbedError(*learnt, {"b"});
    EXPECT_FALSE(e.transient);
    EXPECT_EQ(std::string(e.what()), "openai embeddings: unexpected answer: vectors of 5 numbers, expected 3");
}

TEST(OpenAiEmbeddings, EmbedsFromSeveralThreadsAtOnce) {
    FakeHttpServer server([](const FakeRequest& r) { return OpenAiAnswer(r); });
    auto s = OpenAi(server);
    s.batch = 3;
    Sleeps sleeps;
    auto p = MakeOpenAiEmbeddings(s, sleeps.Options());
    std::atomic<int> good = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int round = 0; round < 5; ++round) {
                std::vector<std::string> texts;
                for (int i = 0; i < 7; ++i) texts.push_back(std::string(std::size_t(1 + t * 10 + i), char('a' + t)));
                auto v = p->Embed(texts, Langs(texts.size()));
                bool ok = v.size() == texts.size();
                for (std::size_t i = 0; ok && i < v.size(); ++i)
                    ok = std::abs(v[i][0] - Normalised(texts[i])[0]) < 1e-6 &&
                         std::abs(v[i][2] - Normalised(texts[i])[2]) < 1e-6;
                good += ok;
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(good, 20);
    EXPECT_EQ(server.request_count(), 4u * 5u * 3u);
    EXPECT_LE(server.connection_count(), 4u);  // pooled clients keep their connections
}

}  // namespace
}  // namespace uxf::knowledge::embedding
