// The remote embedding providers against a local fake of each API: the requests' wire format, batching, parsing,
// retries, error messages and the checks of the answers.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "remote_embeddings.hpp"
#include "uxf/platform/json_text.hpp"
#include "uxf/testing/fake_http_server.hpp"

namespace uxf::knowledge::embedding {
namespace {

using std::chrono::milliseconds;
using uxf::testing::FakeHttpServer;
using uxf::testing::FakeRequest;
using uxf::testing::FakeResponse;
namespace json = boost::json;

json::value ParseJson(std::string_view text) {
    boost::system::error_code ec;
    auto v = json_text::Parse(text, ec);
    EXPECT_FALSE(ec) << text;
    return v;
}

// A vector that tells its text apart: {length, 2, first byte} (normalised by the provider).
json::array VectorOf(std::string_view text, std::size_t dims = 3) {
    json::array v{double(text.size()), 2.0, double(text.empty() ? 0 : static_cast<unsigned char>(text[0]))};
    v.resize(dims, 0.5);
    return v;
}

std::vector<float> Normalised(std::string_view text, std::size_t dims = 3) {
    std::vector<float> v;
    double norm = 0;
    for (const auto& x : VectorOf(text, dims)) {
        v.push_back(static_cast<float>(x.to_number<double>()));
        norm += v.back() * double(v.back());
    }
    for (auto& x : v) x = static_cast<float>(x / std::sqrt(norm));
    return v;
}

void ExpectNear(const std::vector<float>& got, const std::vector<float>& want) {
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-6) << i;
}

// OpenAI's answer to a request, its items in reverse order (the client must place them by `index`).
FakeResponse OpenAiAnswer(const FakeRequest& r, std::size_t dims = 3) {
    auto input = ParseJson(r.body).at("input").as_array();
    json::array data;
    for (std::size_t i = input.size(); i-- > 0;)
        data.push_back(
            json::object{{"object", "embedding"}, {"index", i}, {"embedding", VectorOf(input[i].as_string(), dims)}});
    json::object answer{{"object", "list"}, {"data", std::move(data)}, {"model", "m"}};
    answer["usage"] = json::object{{"prompt_tokens", 5}, {"total_tokens", 5}};
    return FakeResponse::Json(json_text::Write(answer));
}

FakeResponse GeminiAnswer(const FakeRequest& r, std::size_t dims = 3) {
    json::array embeddings;
    const auto body = ParseJson(r.body);
    for (const auto& request : body.at("requests").as_array())
        embeddings.push_back(
            json::object{{"values", VectorOf(request.at("content").at("parts").at(0).at("text").as_string(), dims)}});
    return FakeResponse::Json(json_text::Write(json::object{{"embeddings", std::move(embeddings)}}));
}

struct Sleeps {
    std::mutex mu;
    std::vector<milliseconds> waits;
    RemoteOptions Options() {
        RemoteOptions o;
        o.retry = {4, 10, 20'000};
        o.hooks.sleep = [this](milliseconds d) {
            std::lock_guard lock(mu);
            waits.push_back(d);
        };
        o.hooks.on_retry = [](int, milliseconds, const std::string&) {};
        return o;
    }
};

EmbeddingSettings OpenAi(const FakeHttpServer& server) {
    EmbeddingSettings s;
    s.provider = "openai";
    s.base_url = server.url();
    s.api_key = "sk-test-secret";
    return s;
}

EmbeddingSettings Gemini(const FakeHttpServer& server) {
    EmbeddingSettings s;
    s.provider = "gemini";
    s.base_url = server.url();
    s.api_key = "AIza-test-secret";
    return s;
}

std::vector<std::string> Langs(std::size_t n) { return std::vector<std::string>(n, "en"); }

// The error Embed throws for `texts`, or a failure when it throws none.
EmbeddingError EmbedError(EmbeddingProvider& p, const std::vector<std::string>& texts) {
    try {
        p.Embed(texts, Langs(texts.size()));
    } catch (const EmbeddingError& e) {
        return e;
    }
    ADD_FAILURE() << "no EmbeddingError";
    return EmbeddingError("", false);
}

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
              R"({"requests":[{"model":"models/gemini-embedding-001","content":{"parts":[{"text":"Rückerstattung"}]}},)"
              R"({"model":"models/gemini-embedding-001","content":{"parts":[{"text":"refund"}]}}]})");
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
    FakeHttpServer server([](const FakeRequest&) {
        return FakeResponse::Json(R"({"error":{"code":400,"message":"API key not valid. Please pass a valid API key.",)"
                                  R"("status":"INVALID_ARGUMENT"}})",
                                  400);
    });
    Sleeps sleeps;
    auto e = EmbedError(*MakeGeminiEmbeddings(Gemini(server), sleeps.Options()), {"a"});
    EXPECT_FALSE(e.transient);
    EXPECT_EQ(std::string(e.what()),
              "gemini embeddings: HTTP 400: API key not valid. Please pass a valid API key. (INVALID_ARGUMENT)");
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
