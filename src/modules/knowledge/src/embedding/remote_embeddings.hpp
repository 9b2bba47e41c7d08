// Remote embedding providers: what OpenAI's, OpenAI-compatible servers' and Gemini's embedding APIs share (batches,
// retries, checks of the answer, normalisation), with each wire format in its own file.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "uxf/knowledge/embeddings.hpp"
#include "uxf/platform/http_client.hpp"

namespace boost::json {
class value;
}

namespace uxf::knowledge::embedding {

/// How a remote provider retries (tests shorten the waits through `hooks.sleep`).
struct RemoteOptions {
    http::RetryPolicy retry{
        4, 500, 20'000, true};  // embedding a text twice does no harm  ///< Embed: documents, for jobs that can wait
    /// EmbedQueries: a search someone waits for. Two tries at most, and a short wait between them: a `Retry-After`
    /// longer than a second is not worth waiting (the search goes on by words).
    http::RetryPolicy query_retry{2, 250, 1'000};
    http::RetryHooks hooks;  ///< without on_retry, each retry is logged as a warning
};

/// What the texts are: documents (or patterns) to be found, or a search's queries.
enum class Purpose { kDocuments, kQueries };

class RemoteEmbeddings : public EmbeddingProvider {
  public:
    /// `settings` with the provider's defaults filled in (model, base URL); `max_batch` is the API's own limit.
    RemoteEmbeddings(EmbeddingSettings settings, std::size_t max_batch, RemoteOptions options);

    std::string provider() const override { return settings_.provider; }
    std::string model() const override;
    std::size_t dimensions() const override { return dims_.load(); }
    std::vector<std::vector<float>> Embed(std::span<const std::string> texts,
                                          std::span<const std::string> languages) override;
    /// Tried options.query_retry.max_attempts times, each try within settings.query_timeout_ms.
    std::vector<std::vector<float>> EmbedQueries(std::span<const std::string> texts,
                                                 std::span<const std::string> languages) override;

  protected:
    const EmbeddingSettings& settings() const { return settings_; }
    /// The request for one batch of texts (none empty); its timeout is set by the caller.
    virtual http::ClientRequest Request(std::span<const std::string> texts, Purpose purpose) const = 0;
    /// The answer's vectors, one per text in the texts' order; throws std::invalid_argument saying what is wrong
    /// with an answer that is not the API's.
    virtual std::vector<std::vector<float>> Parse(const boost::json::value& answer, std::size_t count) const = 0;
    /// Whether an error answer may go through later (default: 429 and 5xx).
    virtual bool Retryable(const http::ClientResponse& response) const;

  private:
    std::vector<std::vector<float>> EmbedTexts(std::span<const std::string> texts,
                                               std::span<const std::string> languages, Purpose purpose);
    std::vector<std::vector<float>> EmbedBatch(http::HttpClient& client, std::span<const std::string> texts,
                                               Purpose purpose);
    void CheckAndNormalise(std::vector<std::vector<float>>& vectors, std::size_t count);

    EmbeddingSettings settings_;
    std::size_t batch_;
    RemoteOptions options_;
    std::atomic<std::size_t> dims_;
    http::HttpClientPool clients_;
};

/// A JSON array of numbers as floats; throws std::invalid_argument when it is not one, or holds a number that is
/// not finite as a float.
std::vector<float> FloatArray(const boost::json::value& v);

/// The error an error answer carries: `error.message` with `error.status`, `error.code` or `error.type` in
/// parentheses (OpenAI, Gemini), `error` as text (Ollama, llama.cpp), else the start of the body.
std::string ProviderErrorMessage(std::string_view body);

/// `base` without trailing slashes, then `suffix` unless the base already ends with `version` ("/v1"): users write
/// base URLs both ways.
std::string JoinUrl(std::string_view base, std::string_view version, std::string_view suffix);

/// "openai" (api.openai.com, key required) or "openai-compatible" (base URL and model required, key optional):
/// POST {base}/v1/embeddings.
std::unique_ptr<EmbeddingProvider> MakeOpenAiEmbeddings(EmbeddingSettings settings, RemoteOptions options = {});
/// "gemini": POST {base}/v1beta/models/{model}:batchEmbedContents, at most 100 texts per request.
std::unique_ptr<EmbeddingProvider> MakeGeminiEmbeddings(EmbeddingSettings settings, RemoteOptions options = {});

}  // namespace uxf::knowledge::embedding
