#include "llm/remote_client.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "uxf/core/strings.hpp"
#include "uxf/platform/json_text.hpp"

namespace uxf::ai {
namespace {

using Kind = ProviderError::Kind;
using llm::Member;
using llm::StringMember;

// What a transport error says after its "METHOD url: " prefix, so that no host name or path reaches a person.
std::string TransportReason(std::string_view what) {
    auto at = what.rfind(": ");
    return Excerpt(at == std::string_view::npos ? what : what.substr(at + 2), 120);
}

std::string Redacted(std::string text, const std::string& key) {
    if (key.empty()) return text;
    for (std::size_t at; (at = text.find(key)) != std::string::npos;) text.replace(at, key.size(), "***");
    return text;
}

}  // namespace

namespace llm {

std::optional<std::string> JsonObjectText(std::string_view text) {
    text = Trim(text);
    if (text.starts_with("```")) {
        auto first_line = text.find('\n');
        if (first_line == std::string_view::npos || !text.ends_with("```")) return std::nullopt;
        auto tag = Trim(text.substr(3, first_line - 3));
        if (!tag.empty() && ToLower(tag) != "json") return std::nullopt;
        text = Trim(text.substr(first_line + 1, text.size() - 3 - (first_line + 1)));
    }
    boost::system::error_code ec;
    auto value = json_text::Parse(text, ec);
    if (ec || !value.is_object()) return std::nullopt;
    return std::string(text);
}

std::string Endpoint(std::string_view base, std::string_view version, std::string_view suffix) {
    while (base.ends_with('/')) base.remove_suffix(1);
    auto scheme = base.find("://");
    auto host = scheme == std::string_view::npos ? 0 : scheme + 3;
    const bool has_path = base.find('/', host) != std::string_view::npos;
    return fmt::format("{}{}{}", base, has_path ? "" : version, suffix);
}

const boost::json::value* Member(const boost::json::value& v, std::string_view key) {
    const auto* o = v.if_object();
    return o ? o->if_contains(key) : nullptr;
}

std::string StringMember(const boost::json::value& v, std::string_view key) {
    const auto* m = Member(v, key);
    return m && m->is_string() ? std::string(m->get_string()) : std::string();
}

std::int64_t CountMember(const boost::json::value& v, std::string_view key) {
    const auto* m = Member(v, key);
    if (m && m->is_int64() && m->get_int64() >= 0) return m->get_int64();
    if (m && m->is_uint64()) return static_cast<std::int64_t>(std::min<std::uint64_t>(m->get_uint64(), INT64_MAX));
    return 0;
}

ModelAnswer AnswerOf(const boost::json::value& body, std::string text, const AnswerKeys& keys) {
    ModelAnswer answer;
    answer.text = std::move(text);
    answer.model = StringMember(body, keys.model);
    if (const auto* usage = Member(body, keys.usage)) {
        answer.usage.input_tokens = CountMember(*usage, keys.input);
        answer.usage.output_tokens = CountMember(*usage, keys.output);
    }
    return answer;
}

}  // namespace llm

RemoteClient::RemoteClient(std::string provider, ProviderSettings settings, ClientOptions options,
                           http::HttpClientPool& pool, std::shared_ptr<CircuitBreaker> breaker)
    : provider_(std::move(provider)),
      settings_(std::move(settings)),
      options_(std::move(options)),
      pool_(pool),
      breaker_(std::move(breaker)) {}

ProviderError RemoteClient::Fail(Kind kind, std::string_view what) const {
    return ProviderError(kind, Redacted(fmt::format("{}: {}", provider_, what), settings_.api_key));
}

std::string RemoteClient::ErrorMessage(const boost::json::value& body) const {
    const auto* error = Member(body, "error");
    if (!error) return "";
    if (error->is_string()) return Excerpt(error->get_string(), 200);  // Ollama, llama.cpp
    std::string message = Excerpt(StringMember(*error, "message"), 200);
    for (const char* key : {"code", "type", "status"}) {
        auto tag = StringMember(*error, key);
        if (!tag.empty()) return message.empty() ? Excerpt(tag, 60) : fmt::format("{} ({})", message, Excerpt(tag, 60));
    }
    return message;
}

ProviderError::Kind RemoteClient::KindOf(const http::ClientResponse& response) const {
    if (response.status == 401 || response.status == 403) return Kind::kAuth;
    if (response.status == 429 || response.status >= 500) return Kind::kUnavailable;
    return Kind::kRejected;
}

bool RemoteClient::Retryable(const http::ClientResponse& response) const {
    return http::IsRetryableStatus(response.status);
}

ModelAnswer RemoteClient::Complete(const ModelRequest& request) {
    std::size_t max_tokens = request.max_output_tokens;
    if (options_.max_output_tokens && (!max_tokens || options_.max_output_tokens < max_tokens))
        max_tokens = options_.max_output_tokens;
    auto http_request = Request(request, max_tokens);  // before the breaker: a bad request is no provider failure
    http_request.timeout_ms = static_cast<long>(std::max<std::size_t>(1, options_.timeout_ms));
    if (breaker_ && !breaker_->Allow())
        throw Fail(Kind::kUnavailable, fmt::format("failed too often lately; not trying again for {} s",
                                                   (breaker_->RetryIn() + kSecond - 1) / kSecond));
    try {
        auto answer = Send(http_request, request);
        if (breaker_) breaker_->RecordSuccess();
        return answer;
    } catch (const ProviderError& e) {
        if (breaker_) {
            // Only an unreachable or failing provider counts: a refusal or a bad answer came from a working one.
            if (e.kind() == Kind::kUnavailable)
                breaker_->RecordFailure();
            else
                breaker_->RecordSuccess();
        }
        throw;
    } catch (...) {
        if (breaker_) breaker_->RecordFailure();  // a half-open trial must not stay running
        throw;
    }
}

ModelAnswer RemoteClient::Send(const http::ClientRequest& http_request, const ModelRequest& request) {
    http::RetryPolicy policy;
    policy.max_attempts = static_cast<int>(std::max<std::size_t>(1, options_.max_attempts));
    policy.base_delay_ms = options_.base_delay_ms;
    policy.max_delay_ms = options_.max_delay_ms;
    policy.retry_unsafe = true;  // a POST, but asking a model again changes nothing on the provider's side
    auto hooks = options_.hooks;
    hooks.retryable = [this](const http::ClientResponse& r) { return Retryable(r); };
    int tries = 1;
    hooks.on_retry = [&](int attempt, std::chrono::milliseconds delay, const std::string& why) {
        ++tries;
        if (options_.hooks.on_retry)
            options_.hooks.on_retry(attempt, delay, why);
        else
            spdlog::warn("{}: {} (try {} of {}), trying again in {} ms", provider_, Redacted(why, settings_.api_key),
                         attempt, policy.max_attempts, delay.count());
    };
    auto after = [&tries] { return tries > 1 ? fmt::format(" (after {} tries)", tries) : std::string(); };

    http::ClientResponse response;
    try {
        auto client = pool_.Borrow();
        response = http::SendWithRetries(*client, http_request, policy, hooks);
    } catch (const http::TransportError& e) {
        throw Fail(Kind::kUnavailable, fmt::format("no answer: {}{}", TransportReason(e.what()), after()));
    }

    boost::system::error_code ec;
    auto body = json_text::Parse(response.body, ec);
    if (response.status < 200 || response.status > 299) {
        // Only the provider's own message, never the body as such: a proxy may echo the request (prompt, key).
        std::string message = ec ? std::string() : ErrorMessage(body);
        throw Fail(KindOf(response),
                   fmt::format("HTTP {}{}{}", response.status, message.empty() ? "" : ": " + message, after()));
    }
    if (ec) throw Fail(Kind::kMalformed, "the answer is not JSON");
    auto answer = Parse(body, request);
    if (answer.model.empty()) answer.model = settings_.model;
    return answer;
}

}  // namespace uxf::ai
