// For the remote embedding providers' tests only: fake answers in each API's shape, settings pointing at a
// FakeHttpServer, and retry options whose waits are recorded instead of slept.
#pragma once
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "remote_embeddings.hpp"
#include "uxf/platform/json_text.hpp"
#include "uxf/testing/fake_http_server.hpp"

namespace uxf::knowledge::embedding::remote_test {

using std::chrono::milliseconds;
using uxf::testing::FakeHttpServer;
using uxf::testing::FakeRequest;
using uxf::testing::FakeResponse;
namespace json = boost::json;

inline json::value ParseJson(std::string_view text) {
    boost::system::error_code ec;
    auto v = json_text::Parse(text, ec);
    EXPECT_FALSE(ec) << text;
    return v;
}

// A vector that tells its text apart: {length, 2, first byte} (normalised by the provider).
inline json::array VectorOf(std::string_view text, std::size_t dims = 3) {
    json::array v{double(text.size()), 2.0, double(text.empty() ? 0 : static_cast<unsigned char>(text[0]))};
    v.resize(dims, 0.5);
    return v;
}

inline std::vector<float> Normalised(std::string_view text, std::size_t dims = 3) {
    std::vector<float> v;
    double norm = 0;
    for (const auto& x : VectorOf(text, dims)) {
        v.push_back(static_cast<float>(x.to_number<double>()));
        norm += v.back() * double(v.back());
    }
    for (auto& x : v) x = static_cast<float>(x / std::sqrt(norm));
    return v;
}

inline void ExpectNear(const std::vector<float>& got, const std::vector<float>& want) {
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-6) << i;
}

// OpenAI's answer to a request, its items in reverse order (the client must place them by `index`).
inline FakeResponse OpenAiAnswer(const FakeRequest& r, std::size_t dims = 3) {
    auto input = ParseJson(r.body).at("input").as_array();
    json::array data;
    for (std::size_t i = input.size(); i-- > 0;)
        data.push_back(
            json::object{{"object", "embedding"}, {"index", i}, {"embedding", VectorOf(input[i].as_string(), dims)}});
    json::object answer{{"object", "list"}, {"data", std::move(data)}, {"model", "m"}};
    answer["usage"] = json::object{{"prompt_tokens", 5}, {"total_tokens", 5}};
    return FakeResponse::Json(json_text::Write(answer));
}

inline FakeResponse GeminiAnswer(const FakeRequest& r, std::size_t dims = 3) {
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

inline EmbeddingSettings Remote(const FakeHttpServer& server, const char* provider, const char* key) {
    EmbeddingSettings s;
    s.provider = provider;
    s.base_url = server.url();
    s.api_key = key;
    return s;
}
inline EmbeddingSettings OpenAi(const FakeHttpServer& server) { return Remote(server, "openai", "sk-test-secret"); }
inline EmbeddingSettings Gemini(const FakeHttpServer& server) { return Remote(server, "gemini", "AIza-test-secret"); }

inline std::vector<std::string> Langs(std::size_t n) { return std::vector<std::string>(n, "en"); }

// The error Embed throws for `texts`, or a failure when it throws none.
inline EmbeddingError EmbedError(EmbeddingProvider& p, const std::vector<std::string>& texts) {
    try {
        p.Embed(texts, Langs(texts.size()));
    } catch (const EmbeddingError& e) {
        return e;
    }
    ADD_FAILURE() << "no EmbeddingError";
    return EmbeddingError("", false);
}

// The error EmbedQueries throws for `texts`, or a failure when it throws none.
inline EmbeddingError QueryError(EmbeddingProvider& p, const std::vector<std::string>& texts) {
    try {
        p.EmbedQueries(texts, Langs(texts.size()));
    } catch (const EmbeddingError& e) {
        return e;
    }
    ADD_FAILURE() << "no EmbeddingError";
    return EmbeddingError("", false);
}

}  // namespace uxf::knowledge::embedding::remote_test
