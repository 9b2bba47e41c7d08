// LlmProvider: the prompt builder's requests through a ModelClient, and the answer in the flow format.
#include "llm/llm_provider.hpp"

#include <gtest/gtest.h>

#include "client_test_helpers.hpp"
#include "llm/prompt.hpp"

namespace uxf::ai {
namespace {

using namespace client_test;

class RecordingClient final : public ModelClient {
  public:
    ModelAnswer Complete(const ModelRequest& request) override {
        requests.push_back(request);
        if (error) throw *error;
        return answer;
    }
    std::vector<ModelRequest> requests;
    ModelAnswer answer;
    std::optional<ProviderError> error;
};

GenerationInput Input(Task task) {
    GenerationInput in;
    in.task = task;
    in.prompt = kPromptText;
    in.locale = "en";
    in.current_flow_json = R"({"nodes":[]})";
    return in;
}

TEST(LlmProvider, ProducesTheAnswerWithoutTheNullsTheStrictSchemaForced) {
    auto client = std::make_unique<RecordingClient>();
    auto* c = client.get();
    c->answer.text = R"({"summary":"Added a screen","ops":[{"op":"add_node","id":null,)"
                     R"("node":{"id":"n9","type":"screen","label":"Verify","data":{"sources":[)"
                     R"({"kind":"pattern","id":"login","chunk_id":null}]}},"edge":null,"set":null}]})";
    c->answer.model = "gpt-4o-mini-2024-07-18";
    c->answer.usage = {100, 20};
    LlmProvider p("openai", "gpt-4o-mini", std::move(client));
    EXPECT_EQ(p.name(), "openai");
    EXPECT_EQ(p.model(), "gpt-4o-mini");
    auto in = Input(Task::kRefine);
    auto answer = p.Produce(in);
    EXPECT_EQ(answer.json, R"({"summary":"Added a screen","ops":[{"op":"add_node","node":{"id":"n9","type":"screen",)"
                           R"("label":"Verify","data":{"sources":[{"kind":"pattern","id":"login"}]}}}]})");
    EXPECT_EQ(answer.model, "gpt-4o-mini-2024-07-18");
    EXPECT_EQ(answer.usage.input_tokens, 100);
    EXPECT_EQ(answer.usage.output_tokens, 20);
    ASSERT_EQ(c->requests.size(), 1u);
    EXPECT_EQ(c->requests[0].system, BuildRequest(in).system);
    EXPECT_EQ(c->requests[0].schema_name, "flow_ops");
}

TEST(LlmProvider, RepairsWithThePreviousAnswerAndNamesItsOwnModelWhenTheAnswerHasNone) {
    auto client = std::make_unique<RecordingClient>();
    auto* c = client.get();
    c->answer.text = kFlowAnswer;
    LlmProvider p("anthropic", "claude-3-5-haiku-latest", std::move(client));
    auto answer = p.Repair(Input(Task::kCreate), "{\"name\":\"x\"}", {"no start node"});
    EXPECT_EQ(answer.json, kFlowAnswer);
    EXPECT_EQ(answer.model, "claude-3-5-haiku-latest");
    ASSERT_EQ(c->requests.size(), 1u);
    ASSERT_EQ(c->requests[0].messages.size(), 3u);
    EXPECT_EQ(c->requests[0].messages[1].text, "{\"name\":\"x\"}");
    EXPECT_NE(c->requests[0].messages[2].text.find("- no start node"), std::string::npos);
}

TEST(LlmProvider, PassesProviderErrorsOn) {
    auto client = std::make_unique<RecordingClient>();
    client->error = ProviderError(Kind::kRefused, "gemini: the request was blocked (SAFETY)");
    LlmProvider p("gemini", "gemini-1.5-flash", std::move(client));
    try {
        p.Produce(Input(Task::kCreate));
        ADD_FAILURE() << "no ProviderError";
    } catch (const ProviderError& e) {
        EXPECT_EQ(e.kind(), Kind::kRefused);
        EXPECT_EQ(e.code(), "provider_refused");
    }
}

TEST(LlmProvider, MakesAFlowThroughARealClientAndAFakeOpenAi) {
    FakeHttpServer server([](const FakeRequest&) {
        return FakeResponse::Json(std::string(R"({"model":"gpt-4o-mini","choices":[{"message":{"content":)") +
                                  json_text::Write(json::value(kFlowAnswer)) +
                                  R"(,"refusal":null},"finish_reason":"stop"}],)"
                                  R"("usage":{"prompt_tokens":1500,"completion_tokens":400}})");
    });
    Waits waits;
    http::HttpClientPool pool;
    LlmProvider p("openai", "gpt-4o-mini",
                  MakeModelClient("openai", Settings(server, "gpt-4o-mini"), waits.Options(), pool, nullptr));
    auto answer = p.Produce(Input(Task::kCreate));
    EXPECT_EQ(answer.json, kFlowAnswer);
    EXPECT_EQ(answer.usage.input_tokens, 1500);
    auto body = ParseJson(server.requests().at(0).body);
    EXPECT_EQ(body.at("response_format").at("json_schema").at("name"), "flow");
    const auto& messages = body.at("messages").as_array();
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_NE(std::string(messages[1].at("content").as_string()).find(std::string(kDataTag) + " kind=\"request\""),
              std::string::npos);
}

}  // namespace
}  // namespace uxf::ai
