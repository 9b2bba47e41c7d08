// OpenAI's embeddings API, also spoken by Ollama, llama.cpp's server and vLLM: POST {base}/v1/embeddings with
// {"model", "input": [texts], "dimensions"?, "encoding_format": "float"}; the answer's data[i] carries `index`.
#include <stdexcept>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "remote_embeddings.hpp"
#include "uxf/platform/json_text.hpp"

namespace uxf::knowledge::embedding {
namespace {

constexpr std::size_t kMaxInputs = 2048;  // the API's limit of inputs per request

class OpenAiEmbeddings final : public RemoteEmbeddings {
  public:
    using RemoteEmbeddings::RemoteEmbeddings;

  protected:
    http::ClientRequest Request(std::span<const std::string> texts, Purpose) const override {
        boost::json::object body;
        body["model"] = settings().model;
        auto& input = body["input"].emplace_array();
        for (const auto& t : texts) input.emplace_back(t);
        if (settings().dimensions) body["dimensions"] = settings().dimensions;
        body["encoding_format"] = "float";
        http::ClientRequest r;
        r.method = "POST";
        r.url = JoinUrl(settings().base_url, "/v1", "/embeddings");
        r.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
        if (!settings().api_key.empty()) r.headers.emplace_back("Authorization", "Bearer " + settings().api_key);
        r.body = json_text::Write(body);
        return r;
    }

    std::vector<std::vector<float>> Parse(const boost::json::value& answer, std::size_t count) const override {
        const auto* data = answer.is_object() ? answer.as_object().if_contains("data") : nullptr;
        if (!data || !data->is_array()) throw std::invalid_argument("no `data` array");
        std::vector<std::vector<float>> out(count);
        std::vector<bool> filled(count, false);
        std::size_t position = 0;
        for (const auto& item : data->get_array()) {
            const auto* object = item.if_object();
            const auto* embedding = object ? object->if_contains("embedding") : nullptr;
            if (!embedding) throw std::invalid_argument("an item of `data` without `embedding`");
            std::size_t index = position++;  // servers that leave `index` out answer in order
            if (const auto* i = object->if_contains("index")) {
                if (i->is_int64() && i->get_int64() >= 0)
                    index = static_cast<std::size_t>(i->get_int64());
                else if (i->is_uint64())
                    index = static_cast<std::size_t>(i->get_uint64());
                else
                    throw std::invalid_argument("an `index` that is not one");
            }
            if (index >= count || filled[index])
                throw std::invalid_argument(fmt::format("`index` {} twice or out of range for {} texts", index, count));
            out[index] = FloatArray(*embedding);
            filled[index] = true;
        }
        if (position != count) throw std::invalid_argument(fmt::format("{} vectors for {} texts", position, count));
        return out;
    }

    // A 429 for a quota that is used up (not a rate) goes through only when someone pays: no retry.
    bool Retryable(const http::ClientResponse& response) const override {
        return RemoteEmbeddings::Retryable(response) &&
               !(response.status == 429 && response.body.find("insufficient_quota") != std::string::npos);
    }
};

}  // namespace

std::unique_ptr<EmbeddingProvider> MakeOpenAiEmbeddings(EmbeddingSettings settings, RemoteOptions options) {
    if (settings.provider == "openai") {
        if (settings.model.empty()) settings.model = "text-embedding-3-small";
        if (settings.base_url.empty()) settings.base_url = "https://api.openai.com";
    }
    if (settings.model.empty() || settings.base_url.empty())
        throw std::invalid_argument(settings.provider + " embeddings need a model and a base URL");
    return std::make_unique<OpenAiEmbeddings>(std::move(settings), kMaxInputs, std::move(options));
}

}  // namespace uxf::knowledge::embedding
