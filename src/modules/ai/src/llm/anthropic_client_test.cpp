// The anthropic client against a local fake of the Messages API.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "client_test_helpers.hpp"

namespace uxf::ai {
namespace {

using namespace client_test;

json::object Message(json::array content, std::string_view stop = "tool_use") {
    json::object body{
        {"id", "msg_01"}, {"type", "message"}, {"role", "assistant"}, {"model", "claude-3-5-haiku-20241022"}};
    body["content"] = std::move(content);
    body["stop_reason"] = stop;
    body["usage"] = json::object{{"input_tokens", 1200}, {"output_tokens", 340}};
    return body;
}

json::object ToolUse(const json::value& input, std::string_view name = "flow") {
    return json::object{{"type", "tool_use"}, {"id", "toolu_01"}, {"name", name}, {"input", input}};
}

FakeResponse Answer(const json::object& body) { return FakeResponse::Json(json_text::Write(body)); }

FakeResponse Error(int status, std::string_view type, std::string_view message) {
    json::object body{{"type", "error"}, {"error", json::object{{"type", type}, {"message", message}}}};
    return FakeResponse::Json(json_text::Write(body), status);
}

std::unique_ptr<ModelClient> Anthropic(const FakeHttpServer& server, Waits& waits, std::size_t attempts = 3,
                                       std::shared_ptr<CircuitBreaker> breaker = nullptr) {
    static http::HttpClientPool pool;
    return MakeModelClient("anthropic", Settings(server), waits.Options(attempts), pool, std::move(breaker));
}

TEST(AnthropicClient, SendsTheDocumentedRequestAndReadsTheToolInput) {
    FakeHttpServer server([](const FakeRequest&) {
        json::array content{json::object{{"type", "text"}, {"text", "Here is the flow."}},
                            ToolUse(ParseJson(kFlowAnswer))};
        return Answer(Message(std::move(content)));
    });
    Waits waits;
    auto request = Request();
    request.messages.push_back({"assistant", "{}"});
    request.messages.push_back({"user", "fix it"});
    auto answer = Anthropic(server, waits)->Complete(request);
    EXPECT_EQ(answer.text, kFlowAnswer);
    EXPECT_EQ(answer.model, "claude-3-5-haiku-20241022");
    EXPECT_EQ(answer.usage.input_tokens, 1200);
    EXPECT_EQ(answer.usage.output_tokens, 340);

    auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    const auto& r = requests[0];
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.target, "/v1/messages");
    EXPECT_EQ(r.Header("x-api-key"), kKey);
    EXPECT_EQ(r.Header("anthropic-version"), "2023-06-01");
    EXPECT_EQ(r.Header("authorization"), "");
    auto body = ParseJson(r.body);
    EXPECT_EQ(body.at("model"), "test-model");
    EXPECT_EQ(body.at("max_tokens"), 4096);
    EXPECT_EQ(body.at("system"), "You design UX flows.");
    const auto& messages = body.at("messages").as_array();
    ASSERT_EQ(messages.size(), 3u);
    EXPECT_EQ(messages[0], (json::object{{"role", "user"}, {"content", kPromptText}}));
    EXPECT_EQ(messages[1], (json::object{{"role", "assistant"}, {"content", "{}"}}));
    const auto& tools = body.at("tools").as_array();
    ASSERT_EQ(tools.size(), 1u);
    EXPECT_EQ(tools[0].at("name"), "flow");
    EXPECT_EQ(tools[0].at("input_schema"), ParseJson(FlowSchema()));
    EXPECT_EQ(body.at("tool_choice"), (json::object{{"type", "tool"}, {"name", "flow"}}));
}

TEST(AnthropicClient, TakesABaseUrlEndingInV1) {
    FakeHttpServer server([](const FakeRequest&) { return Answer(Message({ToolUse(json::object{})})); });
    Waits waits;
    auto s = Settings(server);
    s.base_url = server.url() + "/v1/";
    http::HttpClientPool pool;
    MakeModelClient("anthropic", s, waits.Options(), pool, nullptr)->Complete(Request());
    EXPECT_EQ(server.requests().at(0).target, "/v1/messages");
}

TEST(AnthropicClient, RetriesOverloadedAndRateLimitedHonouringRetryAfter) {
    std::atomic<int> n = 0;
    FakeHttpServer server([&n](const FakeRequest&) {
        if (++n == 1) {
            auto r = Error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit");
            r.headers.emplace_back("retry-after", "1");
            return r;
        }
        if (n == 2) return Error(529, "overloaded_error", "Overloaded");
        return Answer(Message({ToolUse(ParseJson(kFlowAnswer))}));
    });
    Waits waits;
    EXPECT_EQ(Anthropic(server, waits)->Complete(Request()).text, kFlowAnswer);
    EXPECT_EQ(server.request_count(), 3u);
    auto recorded = waits.Recorded();
    ASSERT_EQ(recorded.size(), 2u);
    EXPECT_EQ(recorded[0], milliseconds(1000));
    EXPECT_LE(recorded[1], milliseconds(2));  // backoff: up to base * 2
}

TEST(AnthropicClient, OverloadedUntilTheTriesRunOutIsUnavailable) {
    FakeHttpServer server([](const FakeRequest&) { return Error(529, "overloaded_error", "Overloaded"); });
    Waits waits;
    auto e = ErrorOf(*Anthropic(server, waits));
    EXPECT_EQ(e.kind(), Kind::kUnavailable);
    EXPECT_EQ(std::string(e.what()), "anthropic: HTTP 529: Overloaded (overloaded_error) (after 3 tries)");
    EXPECT_EQ(server.request_count(), 3u);
}

TEST(AnthropicClient, AWrongKeyIsAuthAndNotRetried) {
    FakeHttpServer server([](const FakeRequest& r) {
        return Error(401, "authentication_error", "invalid x-api-key " + r.Header("x-api-key"));
    });
    Waits waits;
    auto e = ErrorOf(*Anthropic(server, waits));
    EXPECT_EQ(e.kind(), Kind::kAuth);
    EXPECT_EQ(std::string(e.what()), "anthropic: HTTP 401: invalid x-api-key *** (authentication_error)");
    ExpectSafe(e);
    EXPECT_EQ(server.request_count(), 1u);
}

TEST(AnthropicClient, AnInvalidRequestIsRejected) {
    FakeHttpServer server([](const FakeRequest&) {
        return Error(400, "invalid_request_error", "tools.0.input_schema: JSON schema is invalid");
    });
    Waits waits;
    auto e = ErrorOf(*Anthropic(server, waits));
    EXPECT_EQ(e.kind(), Kind::kRejected);
    EXPECT_EQ(server.request_count(), 1u);
}

TEST(AnthropicClient, ARefusalIsRefused) {
    FakeHttpServer server([](const FakeRequest&) { return Answer(Message({}, "refusal")); });
    Waits waits;
    auto e = ErrorOf(*Anthropic(server, waits));
    EXPECT_EQ(e.kind(), Kind::kRefused);
    EXPECT_EQ(std::string(e.what()), "anthropic: the model declined to answer");
}

TEST(AnthropicClient, ATruncatedAnswerIsMalformed) {
    FakeHttpServer server([](const FakeRequest&) {
        return Answer(Message({ToolUse(json::object{{"name", "Sign"}})}, "max_tokens"));
    });
    Waits waits;
    auto e = ErrorOf(*Anthropic(server, waits));
    EXPECT_EQ(e.kind(), Kind::kMalformed);
    EXPECT_EQ(std::string(e.what()), "anthropic: the answer was cut off at the output token limit");
}

TEST(AnthropicClient, ProseWithoutTheToolOrAnotherToolIsMalformed) {
    FakeHttpServer prose([](const FakeRequest&) {
        return Answer(Message({json::object{{"type", "text"}, {"text", "Sure, a flow: start -> end"}}}, "end_turn"));
    });
    Waits waits;
    auto e = ErrorOf(*Anthropic(prose, waits));
    EXPECT_EQ(e.kind(), Kind::kMalformed);
    EXPECT_EQ(std::string(e.what()), "anthropic: the answer does not use the flow tool");
    FakeHttpServer other([](const FakeRequest&) { return Answer(Message({ToolUse(json::object{}, "web_search")})); });
    EXPECT_EQ(ErrorOf(*Anthropic(other, waits)).kind(), Kind::kMalformed);
    FakeHttpServer not_object([](const FakeRequest&) { return Answer(Message({ToolUse(json::array{1})})); });
    EXPECT_EQ(ErrorOf(*Anthropic(not_object, waits)).kind(), Kind::kMalformed);
    FakeHttpServer garbage([](const FakeRequest&) { return FakeResponse::Json(R"({"content": [)"); });
    auto g = ErrorOf(*Anthropic(garbage, waits));
    EXPECT_EQ(g.kind(), Kind::kMalformed);
    EXPECT_EQ(std::string(g.what()), "anthropic: the answer is not JSON");
}

TEST(AnthropicClient, ATimeoutIsUnavailable) {
    std::atomic<bool> released = false;
    FakeHttpServer server([&released](const FakeRequest&) {
        for (int i = 0; i < 300 && !released; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        return Answer(Message({ToolUse(json::object{})}));
    });
    Waits waits;
    http::HttpClientPool pool;
    auto client = MakeModelClient("anthropic", Settings(server), waits.Options(1, 100), pool, nullptr);
    auto e = ErrorOf(*client);
    released = true;
    EXPECT_EQ(e.kind(), Kind::kUnavailable);
    ExpectSafe(e);
}

TEST(AnthropicClient, TheBreakerOpensAfterFailuresAndHalfOpensAfterTheCooldown) {
    std::atomic<bool> healthy = false;
    FakeHttpServer server([&healthy](const FakeRequest&) {
        return healthy ? Answer(Message({ToolUse(ParseJson(kFlowAnswer))}))
                       : Error(529, "overloaded_error", "Overloaded");
    });
    ManualClock clock(0);
    auto breaker = std::make_shared<CircuitBreaker>(3, 10 * kSecond, clock);
    Waits waits;
    auto client = Anthropic(server, waits, 2, breaker);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(ErrorOf(*client).kind(), Kind::kUnavailable);
    EXPECT_EQ(server.request_count(), 6u);  // two tries each
    EXPECT_EQ(ErrorOf(*client).kind(), Kind::kUnavailable);
    EXPECT_EQ(server.request_count(), 6u);
    clock.Advance(10 * kSecond);
    healthy = true;
    EXPECT_EQ(client->Complete(Request()).text, kFlowAnswer);
    EXPECT_EQ(breaker->state(), CircuitBreaker::State::kClosed);
}

}  // namespace
}  // namespace uxf::ai
