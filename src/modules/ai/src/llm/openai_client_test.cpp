// The openai and openai-compatible clients against a local fake of Chat Completions: the request on the wire, the
// answer, retries, the mapping of failures to ProviderError kinds, the circuit breaker and safe messages.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "client_test_helpers.hpp"

namespace uxf::ai {
namespace {

using namespace client_test;

FakeResponse Completion(std::string_view content, std::string_view finish = "stop") {
    json::object message{{"role", "assistant"}, {"content", content}, {"refusal", nullptr}};
    json::object choice{{"index", 0}, {"message", std::move(message)}, {"finish_reason", finish}};
    json::object body{{"id", "chatcmpl-1"}, {"object", "chat.completion"}, {"model", "gpt-4o-mini-2024-07-18"}};
    body["choices"] = json::array{std::move(choice)};
    body["usage"] = json::object{{"prompt_tokens", 321}, {"completion_tokens", 45}, {"total_tokens", 366}};
    return FakeResponse::Json(json_text::Write(body));
}

std::unique_ptr<ModelClient> OpenAi(const FakeHttpServer& server, Waits& waits, std::size_t attempts = 3,
                                    std::shared_ptr<CircuitBreaker> breaker = nullptr) {
    static http::HttpClientPool pool;
    return MakeModelClient("openai", Settings(server), waits.Options(attempts), pool, std::move(breaker));
}

TEST(OpenAiClient, SendsTheDocumentedRequestAndReadsTheAnswer) {
    FakeHttpServer server([](const FakeRequest&) { return Completion(kFlowAnswer); });
    Waits waits;
    auto answer = OpenAi(server, waits)->Complete(Request());
    EXPECT_EQ(answer.text, kFlowAnswer);
    EXPECT_EQ(answer.model, "gpt-4o-mini-2024-07-18");
    EXPECT_EQ(answer.usage.input_tokens, 321);
    EXPECT_EQ(answer.usage.output_tokens, 45);

    auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    const auto& r = requests[0];
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.target, "/v1/chat/completions");
    EXPECT_EQ(r.Header("authorization"), std::string("Bearer ") + kKey);
    EXPECT_EQ(r.Header("content-type"), "application/json");
    auto body = ParseJson(r.body);
    EXPECT_EQ(body.at("model"), "test-model");
    const auto& messages = body.at("messages").as_array();
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[0], (json::object{{"role", "system"}, {"content", "You design UX flows."}}));
    EXPECT_EQ(messages[1], (json::object{{"role", "user"}, {"content", kPromptText}}));
    const auto& format = body.at("response_format");
    EXPECT_EQ(format.at("type"), "json_schema");
    EXPECT_EQ(format.at("json_schema").at("name"), "flow");
    EXPECT_EQ(format.at("json_schema").at("strict"), true);
    EXPECT_EQ(format.at("json_schema").at("schema"), ParseJson(FlowSchema()));
    EXPECT_EQ(body.at("max_completion_tokens"), 4096);  // the options' cap below the request's 8192
    EXPECT_FALSE(body.as_object().contains("max_tokens"));
}

TEST(OpenAiClient, TakesABaseUrlWithV1) {
    FakeHttpServer server([](const FakeRequest&) { return Completion(kFlowAnswer); });
    Waits waits;
    auto s = Settings(server);
    s.base_url = server.url() + "/v1/";
    http::HttpClientPool pool;
    MakeModelClient("openai", s, waits.Options(), pool, nullptr)->Complete(Request());
    EXPECT_EQ(server.requests().at(0).target, "/v1/chat/completions");
}

TEST(OpenAiCompatibleClient, SendsNoKeyWhenItHasNoneAndMaxTokens) {
    FakeHttpServer server(
        [](const FakeRequest&) { return Completion(std::string("```json\n") + kFlowAnswer + "\n```"); });
    Waits waits;
    ProviderSettings s;
    s.base_url = server.url();
    s.model = "llama3.1";
    http::HttpClientPool pool;
    auto answer = MakeModelClient("openai-compatible", s, waits.Options(), pool, nullptr)->Complete(Request());
    EXPECT_EQ(answer.text, kFlowAnswer);  // the fence removed
    const auto r = server.requests().at(0);
    EXPECT_EQ(r.target, "/v1/chat/completions");
    EXPECT_EQ(r.Header("authorization"), "");
    auto body = ParseJson(r.body);
    EXPECT_EQ(body.at("max_tokens"), 4096);
    EXPECT_FALSE(body.as_object().contains("max_completion_tokens"));
    EXPECT_EQ(body.at("response_format").at("type"), "json_schema");
}

TEST(OpenAiCompatibleClient, AcceptsOnlyAJsonObject) {
    for (std::string content : {std::string("Sure! Here is your flow: ") + kFlowAnswer, std::string("[1, 2]"),
                                std::string("```python\n{}\n```"), std::string("{\"name\": \"cut"), std::string()}) {
        FakeHttpServer server([&](const FakeRequest&) { return Completion(content); });
        Waits waits;
        ProviderSettings s;
        s.base_url = server.url();
        s.model = "llama3.1";
        http::HttpClientPool pool;
        auto client = MakeModelClient("openai-compatible", s, waits.Options(), pool, nullptr);
        auto e = ErrorOf(*client);
        EXPECT_EQ(e.kind(), Kind::kMalformed) << content;
        EXPECT_EQ(std::string(e.what()), "openai-compatible: the answer is not a JSON object");
        EXPECT_EQ(server.request_count(), 1u);
    }
}

TEST(OpenAiClient, NeedsAKeyAndCompatibleNeedsABaseUrlAndModel) {
    http::HttpClientPool pool;
    ProviderSettings s;
    EXPECT_THROW(MakeModelClient("openai", s, {}, pool, nullptr), std::invalid_argument);
    EXPECT_THROW(MakeModelClient("openai-compatible", s, {}, pool, nullptr), std::invalid_argument);
    EXPECT_THROW(MakeModelClient("mistral", s, {}, pool, nullptr), std::invalid_argument);
}

TEST(OpenAiClient, RetriesTooManyRequestsHonouringRetryAfter) {
    std::atomic<int> n = 0;
    FakeHttpServer server([&n](const FakeRequest&) {
        if (++n == 1)
            return FakeResponse{
                429,
                {{"Retry-After", "2"}, {"Content-Type", "application/json"}},
                R"({"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}})"};
        return Completion(kFlowAnswer);
    });
    Waits waits;
    auto answer = OpenAi(server, waits)->Complete(Request());
    EXPECT_EQ(answer.text, kFlowAnswer);
    EXPECT_EQ(server.request_count(), 2u);
    EXPECT_EQ(waits.Recorded(), std::vector<milliseconds>{milliseconds(2000)});
}

TEST(OpenAiClient, ServerErrorsUntilTheTriesRunOutAreUnavailable) {
    FakeHttpServer server([](const FakeRequest&) {
        return FakeResponse::Json(R"({"error":{"message":"The server had an error","type":"server_error"}})", 500);
    });
    Waits waits;
    auto e = ErrorOf(*OpenAi(server, waits));
    EXPECT_EQ(e.kind(), Kind::kUnavailable);
    EXPECT_EQ(e.code(), "provider_unavailable");
    EXPECT_EQ(std::string(e.what()), "openai: HTTP 500: The server had an error (server_error) (after 3 tries)");
    EXPECT_EQ(server.request_count(), 3u);
    EXPECT_EQ(waits.Recorded().size(), 2u);
}

TEST(OpenAiClient, AUsedUpQuotaIsNotRetried) {
    FakeHttpServer server([](const FakeRequest&) {
        return FakeResponse::Json(
            R"({"error":{"message":"You exceeded your current quota","type":"insufficient_quota"}})", 429);
    });
    Waits waits;
    auto e = ErrorOf(*OpenAi(server, waits));
    EXPECT_EQ(e.kind(), Kind::kUnavailable);
    EXPECT_EQ(server.request_count(), 1u);
}

TEST(OpenAiClient, AWrongKeyIsAuthNotRetriedAndTheKeyNeverShows) {
    FakeHttpServer server([](const FakeRequest&) {
        return FakeResponse::Json(std::string(R"({"error":{"message":"Incorrect API key provided: )") + kKey +
                                      R"(.","type":"invalid_request_error","code":"invalid_api_key"}})",
                                  401);
    });
    Waits waits;
    auto e = ErrorOf(*OpenAi(server, waits));
    EXPECT_EQ(e.kind(), Kind::kAuth);
    EXPECT_EQ(std::string(e.what()), "openai: HTTP 401: Incorrect API key provided: ***. (invalid_api_key)");
    ExpectSafe(e);
    EXPECT_EQ(server.request_count(), 1u);
    EXPECT_TRUE(waits.Recorded().empty());
}

TEST(OpenAiClient, RefusedRequestsAreRejectedWithoutRetry) {
    for (int status : {400, 404, 422}) {
        FakeHttpServer server([status](const FakeRequest&) {
            return FakeResponse::Json(R"({"error":{"message":"Invalid schema for response_format 'flow'"}})", status);
        });
        Waits waits;
        auto e = ErrorOf(*OpenAi(server, waits));
        EXPECT_EQ(e.kind(), Kind::kRejected) << status;
        EXPECT_EQ(server.request_count(), 1u);
    }
}

TEST(OpenAiClient, AnErrorBodyThatIsNotJsonIsNotRepeated) {
    FakeHttpServer server([](const FakeRequest& r) {
        return FakeResponse{400, {{"Content-Type", "text/plain"}}, "bad request: " + r.body};  // an echoing proxy
    });
    Waits waits;
    auto e = ErrorOf(*OpenAi(server, waits));
    EXPECT_EQ(std::string(e.what()), "openai: HTTP 400");
    ExpectSafe(e);
}

TEST(OpenAiClient, ARefusalIsRefused) {
    FakeHttpServer server([](const FakeRequest&) {
        json::object message{{"role", "assistant"}, {"content", nullptr}, {"refusal", "I can't help with that."}};
        json::object body{{"choices", json::array{json::object{{"message", message}, {"finish_reason", "stop"}}}}};
        return FakeResponse::Json(json_text::Write(body));
    });
    Waits waits;
    auto e = ErrorOf(*OpenAi(server, waits));
    EXPECT_EQ(e.kind(), Kind::kRefused);
    EXPECT_EQ(std::string(e.what()), "openai: the model declined: I can't help with that.");
}

TEST(OpenAiClient, AFilteredAnswerIsRefused) {
    FakeHttpServer server([](const FakeRequest&) { return Completion("", "content_filter"); });
    Waits waits;
    auto e = ErrorOf(*OpenAi(server, waits));
    EXPECT_EQ(e.kind(), Kind::kRefused);
    EXPECT_EQ(std::string(e.what()), "openai: the provider's content filter withheld the answer");
}

TEST(OpenAiClient, OneClientServesSeveralThreadsAtOnce) {
    FakeHttpServer server([](const FakeRequest&) { return Completion(kFlowAnswer); });
    Waits waits;
    auto client = OpenAi(server, waits);
    std::atomic<int> good = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 3; ++i)
                if (client->Complete(Request()).text == kFlowAnswer) ++good;
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(good.load(), 12);
    EXPECT_EQ(server.request_count(), 12u);
}

TEST(OpenAiClient, ATruncatedAnswerIsMalformed) {
    FakeHttpServer server(
        [](const FakeRequest&) { return Completion(R"({"name":"Sign-up","nodes":[{"id")", "length"); });
    Waits waits;
    auto e = ErrorOf(*OpenAi(server, waits));
    EXPECT_EQ(e.kind(), Kind::kMalformed);
    EXPECT_EQ(std::string(e.what()), "openai: the answer was cut off at the output token limit");
}

TEST(OpenAiClient, ProseOrABodyThatIsNotJsonIsMalformed) {
    FakeHttpServer prose([](const FakeRequest&) { return Completion("Here is a flow: start, then sign up."); });
    Waits waits;
    EXPECT_EQ(ErrorOf(*OpenAi(prose, waits)).kind(), Kind::kMalformed);
    FakeHttpServer html([](const FakeRequest&) {
        return FakeResponse{200, {{"Content-Type", "text/html"}}, "<html>captive portal</html>"};
    });
    auto e = ErrorOf(*OpenAi(html, waits));
    EXPECT_EQ(e.kind(), Kind::kMalformed);
    EXPECT_EQ(std::string(e.what()), "openai: the answer is not JSON");
    FakeHttpServer empty([](const FakeRequest&) { return FakeResponse::Json(R"({"choices":[]})"); });
    EXPECT_EQ(ErrorOf(*OpenAi(empty, waits)).kind(), Kind::kMalformed);
}

TEST(OpenAiClient, ATimeoutIsUnavailableAfterTheTries) {
    std::atomic<bool> released = false;
    FakeHttpServer server([&released](const FakeRequest&) {
        for (int i = 0; i < 300 && !released; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        return Completion(kFlowAnswer);
    });
    Waits waits;
    http::HttpClientPool pool;
    auto client = MakeModelClient("openai", Settings(server), waits.Options(2, 100), pool, nullptr);
    auto started = std::chrono::steady_clock::now();
    auto e = ErrorOf(*client);
    auto took = std::chrono::steady_clock::now() - started;
    released = true;
    EXPECT_EQ(e.kind(), Kind::kUnavailable);
    EXPECT_NE(std::string(e.what()).find("openai: no answer: "), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("(after 2 tries)"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("127.0.0.1"), std::string::npos) << e.what();
    EXPECT_LT(took, std::chrono::milliseconds(1500));
    EXPECT_EQ(waits.Recorded().size(), 1u);
}

TEST(OpenAiClient, ADroppedConnectionIsRetried) {
    std::atomic<int> n = 0;
    FakeHttpServer server([&n](const FakeRequest&) {
        FakeResponse r = Completion(kFlowAnswer);
        r.drop = ++n == 1;
        return r;
    });
    Waits waits;
    EXPECT_EQ(OpenAi(server, waits)->Complete(Request()).text, kFlowAnswer);
    EXPECT_EQ(server.request_count(), 2u);
}

TEST(OpenAiClient, TheBreakerOpensAfterFailuresRefusesWithoutARequestAndHalfOpensAfterTheCooldown) {
    std::atomic<bool> healthy = false;
    FakeHttpServer server([&healthy](const FakeRequest&) {
        return healthy ? Completion(kFlowAnswer) : FakeResponse::Json(R"({"error":{"message":"down"}})", 503);
    });
    ManualClock clock(0);
    auto breaker = std::make_shared<CircuitBreaker>(2, 30 * kSecond, clock);
    Waits waits;
    auto client = OpenAi(server, waits, 1, breaker);
    EXPECT_EQ(ErrorOf(*client).kind(), Kind::kUnavailable);
    EXPECT_EQ(breaker->state(), CircuitBreaker::State::kClosed);
    EXPECT_EQ(ErrorOf(*client).kind(), Kind::kUnavailable);
    EXPECT_EQ(breaker->state(), CircuitBreaker::State::kOpen);
    EXPECT_EQ(server.request_count(), 2u);

    auto e = ErrorOf(*client);  // open: no request
    EXPECT_EQ(e.kind(), Kind::kUnavailable);
    EXPECT_EQ(std::string(e.what()), "openai: failed too often lately; not trying again for 30 s");
    EXPECT_EQ(server.request_count(), 2u);

    clock.Advance(30 * kSecond);  // half-open: one trial, which fails, opens it again
    EXPECT_EQ(ErrorOf(*client).kind(), Kind::kUnavailable);
    EXPECT_EQ(server.request_count(), 3u);
    EXPECT_EQ(ErrorOf(*client).kind(), Kind::kUnavailable);
    EXPECT_EQ(server.request_count(), 3u);

    clock.Advance(30 * kSecond);
    healthy = true;
    EXPECT_EQ(client->Complete(Request()).text, kFlowAnswer);
    EXPECT_EQ(breaker->state(), CircuitBreaker::State::kClosed);
    EXPECT_EQ(server.request_count(), 4u);
}

TEST(OpenAiClient, AnswersThatAreNotUnavailabilityDoNotOpenTheBreaker) {
    FakeHttpServer server([](const FakeRequest&) { return FakeResponse::Json(R"({"error":{"message":"no"}})", 401); });
    ManualClock clock(0);
    auto breaker = std::make_shared<CircuitBreaker>(1, 30 * kSecond, clock);
    Waits waits;
    auto client = OpenAi(server, waits, 1, breaker);
    EXPECT_EQ(ErrorOf(*client).kind(), Kind::kAuth);
    EXPECT_EQ(ErrorOf(*client).kind(), Kind::kAuth);
    EXPECT_EQ(breaker->state(), CircuitBreaker::State::kClosed);
    EXPECT_EQ(server.request_count(), 2u);
}

}  // namespace
}  // namespace uxf::ai
