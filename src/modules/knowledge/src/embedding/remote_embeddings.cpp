#include "remote_embeddings.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_map>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "uxf/core/strings.hpp"
#include "uxf/core/text.hpp"
#include "uxf/platform/json_text.hpp"

namespace uxf::knowledge::embedding {
namespace {

bool Blank(std::string_view text) { return Trim(text).empty(); }

}  // namespace

std::vector<float> FloatArray(const boost::json::value& v) {
    const auto* array = v.if_array();
    if (!array) throw std::invalid_argument("a vector is not an array of numbers");
    std::vector<float> out;
    out.reserve(array->size());
    for (const auto& x : *array) {
        if (!x.is_number()) throw std::invalid_argument("a vector holds something other than numbers");
        auto f = static_cast<float>(x.to_number<double>());
        if (!std::isfinite(f)) throw std::invalid_argument("a vector holds a number out of range");
        out.push_back(f);
    }
    return out;
}

std::string ProviderErrorMessage(std::string_view body) {
    boost::system::error_code ec;
    auto answer = json_text::Parse(body, ec);
    if (!ec && answer.is_object()) {
        const auto* error = answer.as_object().if_contains("error");
        if (error && error->is_string()) return Excerpt(error->get_string(), 500);
        if (error && error->is_object()) {
            const auto& e = error->get_object();
            std::string message;
            if (const auto* m = e.if_contains("message"); m && m->is_string()) message = Excerpt(m->get_string(), 500);
            for (const char* key : {"status", "code", "type"})
                if (const auto* k = e.if_contains(key); k && k->is_string() && !k->get_string().empty()) {
                    message += fmt::format("{}({})", message.empty() ? "" : " ", Excerpt(k->get_string(), 60));
                    break;
                }
            if (!message.empty()) return message;
        }
    }
    return body.empty() ? "(no message)" : Excerpt(body, 200);
}

std::string JoinUrl(std::string_view base, std::string_view version, std::string_view suffix) {
    while (base.ends_with('/')) base.remove_suffix(1);
    std::string url(base);
    if (!base.ends_with(version)) url += version;
    return url + std::string(suffix);
}

RemoteEmbeddings::RemoteEmbeddings(EmbeddingSettings settings, std::size_t max_batch, RemoteOptions options)
    : settings_(std::move(settings)),
      batch_(std::clamp<std::size_t>(settings_.batch, 1, max_batch)),
      options_(std::move(options)),
      dims_(settings_.dimensions) {}

std::string RemoteEmbeddings::model() const {
    return settings_.dimensions ? fmt::format("{}@{}", settings_.model, settings_.dimensions) : settings_.model;
}

bool RemoteEmbeddings::Retryable(const http::ClientResponse& response) const {
    return http::IsRetryableStatus(response.status);
}

std::vector<std::vector<float>> RemoteEmbeddings::Embed(std::span<const std::string> texts,
                                                        std::span<const std::string> languages) {
    return EmbedTexts(texts, languages, Purpose::kDocuments);
}

std::vector<std::vector<float>> RemoteEmbeddings::EmbedQueries(std::span<const std::string> texts,
                                                               std::span<const std::string> languages) {
    return EmbedTexts(texts, languages, Purpose::kQueries);
}

std::vector<std::vector<float>> RemoteEmbeddings::EmbedTexts(std::span<const std::string> texts,
                                                             std::span<const std::string> languages, Purpose purpose) {
    if (texts.size() != languages.size()) throw std::invalid_argument("Embed: one language per text");
    // Each distinct text is sent once (a search may pass one query in four languages, which mean nothing here).
    std::vector<std::string> unique;
    std::unordered_map<std::string_view, std::size_t> slot;
    std::vector<std::size_t> where(texts.size(), SIZE_MAX);
    for (std::size_t i = 0; i < texts.size(); ++i) {
        if (Blank(texts[i])) continue;
        auto [it, added] = slot.emplace(texts[i], unique.size());
        if (added) unique.push_back(texts[i]);
        where[i] = it->second;
    }
    std::vector<std::vector<float>> vectors;
    vectors.reserve(unique.size());
    if (!unique.empty()) {
        auto client = clients_.Borrow();
        for (std::size_t start = 0; start < unique.size(); start += batch_) {
            std::size_t n = std::min(batch_, unique.size() - start);
            for (auto& v : EmbedBatch(*client, std::span(unique).subspan(start, n), purpose))
                vectors.push_back(std::move(v));
        }
    }
    std::vector<std::vector<float>> out;
    out.reserve(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i)
        out.push_back(where[i] == SIZE_MAX ? std::vector<float>(dims_.load(), 0.0f) : vectors[where[i]]);
    return out;
}

std::vector<std::vector<float>> RemoteEmbeddings::EmbedBatch(http::HttpClient& client,
                                                             std::span<const std::string> texts, Purpose purpose) {
    const auto& name = settings_.provider;
    const bool queries = purpose == Purpose::kQueries;
    auto policy = queries ? options_.query_retry : options_.retry;
    policy.retry_unsafe = true;  // a POST, but embedding a text twice does no harm
    auto request = Request(texts, purpose);
    request.timeout_ms = static_cast<long>(queries ? settings_.query_timeout_ms : settings_.timeout_ms);
    auto hooks = options_.hooks;
    hooks.retryable = [this](const http::ClientResponse& r) { return Retryable(r); };
    int tries = 1;
    hooks.on_retry = [&](int attempt, std::chrono::milliseconds delay, const std::string& why) {
        ++tries;
        if (options_.hooks.on_retry)
            options_.hooks.on_retry(attempt, delay, why);
        else
            spdlog::warn("{} embeddings{}: {} (try {} of {}), trying again in {} ms", name,
                         queries ? " of a query" : "", why, attempt, policy.max_attempts, delay.count());
    };
    auto after = [&tries] { return tries > 1 ? fmt::format(" (after {} tries)", tries) : std::string(); };
    http::ClientResponse response;
    try {
        response = http::SendWithRetries(client, request, policy, hooks);
    } catch (const http::TransportError& e) {  // refused, reset, timed out
        throw EmbeddingError(fmt::format("{} embeddings: {}{}", name, e.what(), after()), true);
    }
    if (response.status < 200 || response.status > 299) {
        // A proxy or a home-grown server may echo the request back: never the key in a message or a log.
        std::string message = ProviderErrorMessage(response.body);
        for (std::size_t at; !settings_.api_key.empty() && (at = message.find(settings_.api_key)) != std::string::npos;)
            message.replace(at, settings_.api_key.size(), "***");
        throw EmbeddingError(fmt::format("{} embeddings: HTTP {}: {}{}", name, response.status, message, after()),
                             Retryable(response));
    }
    std::vector<std::vector<float>> vectors;
    try {
        boost::system::error_code ec;
        auto answer = json_text::Parse(response.body, ec);
        if (ec) throw std::invalid_argument("not JSON");
        vectors = Parse(answer, texts.size());
        CheckAndNormalise(vectors, texts.size());
    } catch (const std::invalid_argument& e) {
        throw EmbeddingError(fmt::format("{} embeddings: unexpected answer: {}", name, e.what()), false);
    }
    return vectors;
}

void RemoteEmbeddings::CheckAndNormalise(std::vector<std::vector<float>>& vectors, std::size_t count) {
    if (vectors.size() != count)
        throw std::invalid_argument(fmt::format("{} vectors for {} texts", vectors.size(), count));
    const std::size_t size = vectors.at(0).size();
    if (size == 0) throw std::invalid_argument("an empty vector");
    for (const auto& v : vectors)
        if (v.size() != size) throw std::invalid_argument("vectors of different sizes");
    std::size_t expected = 0;
    if (!dims_.compare_exchange_strong(expected, size) && expected != size)  // the first answer sets the size
        throw std::invalid_argument(fmt::format("vectors of {} numbers, expected {}", size, expected));
    for (auto& v : vectors) {
        double norm = 0;
        for (float x : v) norm += double(x) * x;
        if (norm <= 0) continue;
        norm = std::sqrt(norm);
        for (float& x : v) x = static_cast<float>(x / norm);
    }
}

}  // namespace uxf::knowledge::embedding
