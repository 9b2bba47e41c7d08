// Gemini's batch embeddings: POST {base}/v1beta/models/{model}:batchEmbedContents with the key in x-goog-api-key and
// {"requests": [{"model": "models/{model}", "content": {"parts": [{"text"}]}, "taskType", "outputDimensionality"?}]};
// the answer's "embeddings": [{"values": [...]}] are in the requests' order. taskType (the API's TaskType) is
// RETRIEVAL_DOCUMENT for Embed and RETRIEVAL_QUERY for EmbedQueries: the model embeds a query and the passages that
// answer it differently, so that they land near each other.
#include <stdexcept>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "remote_embeddings.hpp"
#include "uxf/platform/json_text.hpp"

namespace uxf::knowledge::embedding {
namespace {

constexpr std::size_t kMaxRequests = 100;  // batchEmbedContents' limit

class GeminiEmbeddings final : public RemoteEmbeddings {
  public:
    using RemoteEmbeddings::RemoteEmbeddings;

  protected:
    http::ClientRequest Request(std::span<const std::string> texts, Purpose purpose) const override {
        const std::string model = "models/" + settings().model;
        boost::json::object body;
        auto& requests = body["requests"].emplace_array();
        for (const auto& t : texts) {
            boost::json::object part{{"text", t}};
            boost::json::object request{{"model", model}};
            request["content"] = boost::json::object{{"parts", boost::json::array{std::move(part)}}};
            request["taskType"] = purpose == Purpose::kQueries ? "RETRIEVAL_QUERY" : "RETRIEVAL_DOCUMENT";
            if (settings().dimensions) request["outputDimensionality"] = settings().dimensions;
            requests.emplace_back(std::move(request));
        }
        http::ClientRequest r;
        r.method = "POST";
        r.url = JoinUrl(settings().base_url, "/v1beta", fmt::format("/{}:batchEmbedContents", model));
        r.headers = {{"Content-Type", "application/json"},
                     {"Accept", "application/json"},
                     {"x-goog-api-key", settings().api_key}};
        r.body = json_text::Write(body);
        return r;
    }

    std::vector<std::vector<float>> Parse(const boost::json::value& answer, std::size_t count) const override {
        const auto* embeddings = answer.is_object() ? answer.as_object().if_contains("embeddings") : nullptr;
        if (!embeddings || !embeddings->is_array()) throw std::invalid_argument("no `embeddings` array");
        if (embeddings->get_array().size() != count)
            throw std::invalid_argument(fmt::format("{} vectors for {} texts", embeddings->get_array().size(), count));
        std::vector<std::vector<float>> out;
        for (const auto& item : embeddings->get_array()) {
            const auto* values = item.is_object() ? item.as_object().if_contains("values") : nullptr;
            if (!values) throw std::invalid_argument("an embedding without `values`");
            out.push_back(FloatArray(*values));
        }
        return out;
    }
};

}  // namespace

std::unique_ptr<EmbeddingProvider> MakeGeminiEmbeddings(EmbeddingSettings settings, RemoteOptions options) {
    if (settings.model.empty()) settings.model = "gemini-embedding-001";
    if (settings.model.starts_with("models/")) settings.model.erase(0, 7);
    if (settings.base_url.empty()) settings.base_url = "https://generativelanguage.googleapis.com";
    return std::make_unique<GeminiEmbeddings>(std::move(settings), kMaxRequests, std::move(options));
}

}  // namespace uxf::knowledge::embedding
