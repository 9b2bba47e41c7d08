// For the LLM clients' tests only: settings pointing at a FakeHttpServer, options whose backoff waits are recorded
// instead of slept, a request to send, and a way to catch the ProviderError a call throws.
#pragma once
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "llm/clients.hpp"
#include "llm/schemas.hpp"
#include "uxf/ai/settings.hpp"
#include "uxf/platform/json_text.hpp"
#include "uxf/testing/fake_http_server.hpp"

namespace uxf::ai::client_test {

using std::chrono::milliseconds;
using uxf::testing::FakeHttpServer;
using uxf::testing::FakeRequest;
using uxf::testing::FakeResponse;
namespace json = boost::json;
using Kind = ProviderError::Kind;

inline constexpr const char* kKey = "sk-test-SECRET-4711";
inline constexpr const char* kPromptText = "a sign-up flow for a fitness app";
inline constexpr const char* kFlowAnswer = R"({"name":"Sign-up","description":"","nodes":[],"edges":[]})";

inline json::value ParseJson(std::string_view text) {
    boost::system::error_code ec;
    auto v = json_text::Parse(text, ec);
    EXPECT_FALSE(ec) << text;
    return v;
}

/// Options with short timeouts and recorded waits.
struct Waits {
    std::mutex mu;
    std::vector<milliseconds> waits;
    ClientOptions Options(std::size_t attempts = 3, std::size_t timeout_ms = 2000) {
        ClientOptions o;
        o.timeout_ms = timeout_ms;
        o.max_attempts = attempts;
        o.max_output_tokens = 4096;
        o.base_delay_ms = 1;
        o.max_delay_ms = 5000;
        o.hooks.sleep = [this](milliseconds d) {
            std::lock_guard lock(mu);
            waits.push_back(d);
        };
        o.hooks.on_retry = [](int, milliseconds, const std::string&) {};
        return o;
    }
    std::vector<milliseconds> Recorded() {
        std::lock_guard lock(mu);
        return waits;
    }
};

inline ProviderSettings Settings(const FakeHttpServer& server, std::string model = "test-model") {
    ProviderSettings s;
    s.base_url = server.url();
    s.api_key = kKey;
    s.model = std::move(model);
    return s;
}

inline ModelRequest Request() {
    ModelRequest r;
    r.system = "You design UX flows.";
    r.messages = {{"user", kPromptText}};
    r.schema_name = kFlowSchemaName;
    r.json_schema = FlowSchema();
    r.max_output_tokens = 8192;
    return r;
}

/// The ProviderError `client.Complete(request)` throws; a test failure when it throws none.
inline ProviderError ErrorOf(ModelClient& client, const ModelRequest& request = Request()) {
    try {
        client.Complete(request);
    } catch (const ProviderError& e) {
        return e;
    }
    ADD_FAILURE() << "no ProviderError";
    return ProviderError(Kind::kRejected, "(none)");
}

/// Checks that a message is safe to show a person: no key, no prompt.
inline void ExpectSafe(const ProviderError& e) {
    std::string what = e.what();
    EXPECT_EQ(what.find(kKey), std::string::npos) << what;
    EXPECT_EQ(what.find(kPromptText), std::string::npos) << what;
}

}  // namespace uxf::ai::client_test
