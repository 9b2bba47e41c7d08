// The gemini client against a local fake of generateContent, and the conversion of JSON Schema to Gemini's schema.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>

#include "client_test_helpers.hpp"
#include "llm/gemini_schema.hpp"

namespace uxf::ai {
namespace {

using namespace client_test;

json::object Candidate(json::array parts, std::string_view finish = "STOP") {
    return json::object{{"content", json::object{{"parts", std::move(parts)}, {"role", "model"}}},
                        {"finishReason", finish},
                        {"index", 0}};
}

FakeResponse Answer(json::array candidates) {
    json::object body{{"candidates", std::move(candidates)}, {"modelVersion", "gemini-1.5-flash-002"}};
    body["usageMetadata"] =
        json::object{{"promptTokenCount", 900}, {"candidatesTokenCount", 210}, {"totalTokenCount", 1110}};
    return FakeResponse::Json(json_text::Write(body));
}

FakeResponse TextAnswer(std::string_view text, std::string_view finish = "STOP") {
    return Answer({Candidate({json::object{{"text", text}}}, finish)});
}

FakeResponse Error(int status, std::string_view state, std::string_view message, std::string_view reason = "") {
    json::object error{{"code", status}, {"message", message}, {"status", state}};
    if (!reason.empty())
        error["details"] = json::array{json::object{
            {"@type", "type.googleapis.com/google.rpc.ErrorInfo"}, {"reason", reason}, {"domain", "googleapis.com"}}};
    return FakeResponse::Json(json_text::Write(json::object{{"error", std::move(error)}}), status);
}

std::unique_ptr<ModelClient> Gemini(const FakeHttpServer& server, Waits& waits, std::size_t attempts = 3,
                                    std::shared_ptr<CircuitBreaker> breaker = nullptr) {
    static http::HttpClientPool pool;
    return MakeModelClient("gemini", Settings(server), waits.Options(attempts), pool, std::move(breaker));
}

// Every object schema inside `v`, the root included.
void EachSchema(const json::value& v, const std::function<void(const json::object&)>& f) {
    if (const auto* o = v.if_object()) {
        f(*o);
        if (const auto* items = o->if_contains("items")) EachSchema(*items, f);
        if (const auto* p = o->if_contains("properties"))
            for (const auto& [name, schema] : p->as_object()) EachSchema(schema, f);
        if (const auto* any = o->if_contains("anyOf"))
            for (const auto& s : any->as_array()) EachSchema(s, f);
    }
}

TEST(GeminiClient, SendsTheDocumentedRequestAndReadsTheAnswer) {
    FakeHttpServer server([](const FakeRequest&) {
        // The text may come in several parts; a thinking model's notes are left out.
        return Answer({Candidate({json::object{{"text", "thinking..."}, {"thought", true}},
                                  json::object{{"text", R"({"name":"Sign-up","description":"",)"}},
                                  json::object{{"text", R"("nodes":[],"edges":[]})"}}})});
    });
    Waits waits;
    auto request = Request();
    request.messages.push_back({"assistant", "{}"});
    request.messages.push_back({"user", "fix it"});
    auto answer = Gemini(server, waits)->Complete(request);
    EXPECT_EQ(answer.text, kFlowAnswer);
    EXPECT_EQ(answer.model, "gemini-1.5-flash-002");
    EXPECT_EQ(answer.usage.input_tokens, 900);
    EXPECT_EQ(answer.usage.output_tokens, 210);

    auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    const auto& r = requests[0];
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.target, "/v1beta/models/test-model:generateContent");  // no key in the URL
    EXPECT_EQ(r.Header("x-goog-api-key"), kKey);
    auto body = ParseJson(r.body);
    EXPECT_EQ(body.at("systemInstruction"),
              (json::object{{"parts", json::array{json::object{{"text", "You design UX flows."}}}}}));
    const auto& contents = body.at("contents").as_array();
    ASSERT_EQ(contents.size(), 3u);
    EXPECT_EQ(contents[0].at("role"), "user");
    EXPECT_EQ(contents[0].at("parts").at(0).at("text"), kPromptText);
    EXPECT_EQ(contents[1].at("role"), "model");
    EXPECT_EQ(contents[2].at("role"), "user");
    const auto& config = body.at("generationConfig");
    EXPECT_EQ(config.at("responseMimeType"), "application/json");
    EXPECT_EQ(config.at("maxOutputTokens"), 4096);
    const auto& schema = config.at("responseSchema");
    EXPECT_EQ(schema.at("type"), "OBJECT");
    EXPECT_EQ(schema.at("properties").at("nodes").at("items").at("properties").at("type").at("enum").as_array().size(),
              7u);
    int schemas = 0;
    EachSchema(schema, [&](const json::object& o) {
        ++schemas;
        for (const char* rejected : {"additionalProperties", "$schema", "const", "$ref", "$defs"})
            EXPECT_FALSE(o.contains(rejected)) << rejected;
        if (const auto* type = o.if_contains("type")) {
            EXPECT_TRUE(type->is_string());
        }
    });
    EXPECT_GT(schemas, 10);
}

TEST(GeminiClient, TakesAModelNamedWithItsPrefixAndABaseUrlWithoutPath) {
    FakeHttpServer server([](const FakeRequest&) { return TextAnswer(kFlowAnswer); });
    Waits waits;
    auto s = Settings(server, "models/gemini-2.0-flash");
    http::HttpClientPool pool;
    MakeModelClient("gemini", s, waits.Options(), pool, nullptr)->Complete(Request());
    s.base_url = server.url() + "/v1beta/";
    MakeModelClient("gemini", s, waits.Options(), pool, nullptr)->Complete(Request());
    for (const auto& r : server.requests()) EXPECT_EQ(r.target, "/v1beta/models/gemini-2.0-flash:generateContent");
}

TEST(GeminiClient, RetriesResourceExhaustedHonouringRetryAfterThenSucceeds) {
    std::atomic<int> n = 0;
    FakeHttpServer server([&n](const FakeRequest&) {
        if (++n == 1) {
            auto r = Error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).");
            r.headers.emplace_back("Retry-After", "3");
            return r;
        }
        return TextAnswer(kFlowAnswer);
    });
    Waits waits;
    EXPECT_EQ(Gemini(server, waits)->Complete(Request()).text, kFlowAnswer);
    EXPECT_EQ(waits.Recorded(), std::vector<milliseconds>{milliseconds(3000)});
}

TEST(GeminiClient, UnavailableUntilTheTriesRunOut) {
    FakeHttpServer server([](const FakeRequest&) { return Error(503, "UNAVAILABLE", "The model is overloaded."); });
    Waits waits;
    auto e = ErrorOf(*Gemini(server, waits));
    EXPECT_EQ(e.kind(), Kind::kUnavailable);
    EXPECT_EQ(std::string(e.what()), "gemini: HTTP 503: The model is overloaded. (UNAVAILABLE) (after 3 tries)");
    EXPECT_EQ(server.request_count(), 3u);
}

TEST(GeminiClient, AnInvalidKeyIsAuthAlthoughItAnswers400) {
    FakeHttpServer server([](const FakeRequest&) {
        return Error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", "API_KEY_INVALID");
    });
    Waits waits;
    auto e = ErrorOf(*Gemini(server, waits));
    EXPECT_EQ(e.kind(), Kind::kAuth);
    ExpectSafe(e);
    EXPECT_EQ(server.request_count(), 1u);
    FakeHttpServer denied([](const FakeRequest& r) {
        return Error(403, "PERMISSION_DENIED", "Key " + r.Header("x-goog-api-key") + " has no access");
    });
    auto d = ErrorOf(*Gemini(denied, waits));
    EXPECT_EQ(d.kind(), Kind::kAuth);
    EXPECT_EQ(std::string(d.what()), "gemini: HTTP 403: Key *** has no access (PERMISSION_DENIED)");
}

TEST(GeminiClient, ABadRequestOrUnknownModelIsRejected) {
    for (int status : {400, 404}) {
        FakeHttpServer server([status](const FakeRequest&) {
            return Error(status, status == 400 ? "INVALID_ARGUMENT" : "NOT_FOUND", "models/x is not found");
        });
        Waits waits;
        EXPECT_EQ(ErrorOf(*Gemini(server, waits)).kind(), Kind::kRejected) << status;
        EXPECT_EQ(server.request_count(), 1u);
    }
}

TEST(GeminiClient, BlockedPromptsAndWithheldAnswersAreRefused) {
    FakeHttpServer blocked([](const FakeRequest&) {
        return FakeResponse::Json(R"({"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{}})");
    });
    Waits waits;
    auto e = ErrorOf(*Gemini(blocked, waits));
    EXPECT_EQ(e.kind(), Kind::kRefused);
    EXPECT_EQ(std::string(e.what()), "gemini: the request was blocked (SAFETY)");
    for (const char* reason : {"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT"}) {
        FakeHttpServer server([reason](const FakeRequest&) { return TextAnswer("", reason); });
        EXPECT_EQ(ErrorOf(*Gemini(server, waits)).kind(), Kind::kRefused) << reason;
    }
}

TEST(GeminiClient, ATruncatedAnswerProseOrGarbageIsMalformed) {
    FakeHttpServer truncated([](const FakeRequest&) { return TextAnswer(R"({"name":"Sign-up","no)", "MAX_TOKENS"); });
    Waits waits;
    auto e = ErrorOf(*Gemini(truncated, waits));
    EXPECT_EQ(e.kind(), Kind::kMalformed);
    EXPECT_EQ(std::string(e.what()), "gemini: the answer was cut off at the output token limit");
    FakeHttpServer prose([](const FakeRequest&) { return TextAnswer("I would suggest a login screen first."); });
    EXPECT_EQ(ErrorOf(*Gemini(prose, waits)).kind(), Kind::kMalformed);
    FakeHttpServer none([](const FakeRequest&) { return FakeResponse::Json(R"({"candidates":[]})"); });
    EXPECT_EQ(ErrorOf(*Gemini(none, waits)).kind(), Kind::kMalformed);
    FakeHttpServer garbage([](const FakeRequest&) { return FakeResponse::Json("{\"candidates\""); });
    EXPECT_EQ(ErrorOf(*Gemini(garbage, waits)).kind(), Kind::kMalformed);
}

TEST(GeminiClient, ATimeoutIsUnavailable) {
    std::atomic<bool> released = false;
    FakeHttpServer server([&released](const FakeRequest&) {
        for (int i = 0; i < 300 && !released; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        return TextAnswer(kFlowAnswer);
    });
    Waits waits;
    http::HttpClientPool pool;
    auto e = ErrorOf(*MakeModelClient("gemini", Settings(server), waits.Options(1, 100), pool, nullptr));
    released = true;
    EXPECT_EQ(e.kind(), Kind::kUnavailable);
    ExpectSafe(e);
}

TEST(GeminiClient, TheBreakerRefusesWithoutARequestWhileOpen) {
    FakeHttpServer server([](const FakeRequest&) { return Error(500, "INTERNAL", "An internal error has occurred."); });
    ManualClock clock(0);
    auto breaker = std::make_shared<CircuitBreaker>(1, 5 * kSecond, clock);
    Waits waits;
    auto client = Gemini(server, waits, 1, breaker);
    EXPECT_EQ(ErrorOf(*client).kind(), Kind::kUnavailable);
    EXPECT_EQ(ErrorOf(*client).kind(), Kind::kUnavailable);
    EXPECT_EQ(server.request_count(), 1u);
    clock.Advance(5 * kSecond);
    EXPECT_EQ(ErrorOf(*client).kind(), Kind::kUnavailable);
    EXPECT_EQ(server.request_count(), 2u);
}

TEST(GeminiSchema, KeepsWhatGeminiAcceptsAndConvertsTheRest) {
    auto converted = ParseJson(ToGeminiSchema(R"({
        "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "additionalProperties": false,
        "required": ["a", "b", "c", "d"],
        "properties": {
            "a": {"type": ["string", "null"], "description": "maybe"},
            "b": {"type": ["string", "null"], "enum": ["x", "y", null]},
            "c": {"anyOf": [{"type": "object", "properties": {"k": {"const": "v"}}, "required": ["k"],
                             "additionalProperties": false}, {"type": "null"}]},
            "d": {"type": "array", "items": {"type": "integer", "minimum": 1}, "maxItems": 3}}})"));
    auto expected = ParseJson(R"({
        "type": "OBJECT",
        "properties": {
            "a": {"type": "STRING", "description": "maybe", "nullable": true},
            "b": {"type": "STRING", "enum": ["x", "y"], "nullable": true},
            "c": {"type": "OBJECT", "properties": {"k": {"enum": ["v"]}}, "propertyOrdering": ["k"],
                  "required": ["k"], "nullable": true},
            "d": {"type": "ARRAY", "maxItems": 3, "items": {"type": "INTEGER", "minimum": 1}}},
        "propertyOrdering": ["a", "b", "c", "d"],
        "required": ["a", "b", "c", "d"]})");
    EXPECT_EQ(converted, expected) << json_text::Write(converted);
    EXPECT_THROW(ToGeminiSchema("{"), std::invalid_argument);
}

TEST(GeminiSchema, ConvertsBothAnswerSchemasWithoutRejectedKeywords) {
    for (const auto* schema : {&FlowSchema(), &FlowOpsSchema()}) {
        auto converted = ParseJson(ToGeminiSchema(*schema));
        EachSchema(converted, [](const json::object& o) {
            for (const auto& [key, value] : o) {
                EXPECT_TRUE(key == "type" || key == "properties" || key == "required" || key == "items" ||
                            key == "enum" || key == "description" || key == "nullable" || key == "propertyOrdering" ||
                            key == "anyOf")
                    << key;
            }
        });
    }
    auto ops = ParseJson(ToGeminiSchema(FlowOpsSchema()));
    const auto& op = ops.at("properties").at("ops").at("items").at("properties");
    EXPECT_EQ(op.at("node").at("type"), "OBJECT");
    EXPECT_EQ(op.at("node").at("nullable"), true);
    EXPECT_EQ(op.at("set").at("properties").at("trigger").at("nullable"), true);
}

}  // namespace
}  // namespace uxf::ai
