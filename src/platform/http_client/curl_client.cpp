#include <stdexcept>

#include <curl/curl.h>
#include <fmt/format.h>

#include "uxf/core/strings.hpp"
#include "uxf/platform/http_client.hpp"

namespace uxf::http {
namespace {

struct CurlGlobal {
    CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};
const CurlGlobal kCurlGlobal;

size_t OnBody(char* data, size_t size, size_t n, void* user) {
    static_cast<std::string*>(user)->append(data, size * n);
    return size * n;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
    std::string_view line(data, size * n);
    auto colon = line.find(':');
    if (colon != std::string_view::npos) {
        auto* headers = static_cast<std::vector<std::pair<std::string, std::string>>*>(user);
        headers->emplace_back(ToLower(Trim(line.substr(0, colon))), std::string(Trim(line.substr(colon + 1))));
    }
    return size * n;
}

// The URL for messages and logs: without `user:password@` and without the query (either may hold a secret).
std::string Redacted(std::string_view url) {
    std::string out(url.substr(0, url.find_first_of("?#")));
    auto scheme = out.find("://");
    auto host = scheme == std::string::npos ? 0 : scheme + 3;
    auto at = out.find('@', host);
    if (at != std::string::npos && out.find('/', host) > at) out.erase(host, at + 1 - host);
    return out;
}

}  // namespace

std::string ClientResponse::Header(std::string_view name) const {
    std::string key = ToLower(name);
    for (const auto& [k, v] : headers)
        if (k == key) return v;
    return {};
}

HttpClient::HttpClient() : curl_(curl_easy_init()) {
    if (!curl_) throw std::runtime_error("curl_easy_init failed");
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

ClientResponse HttpClient::Send(const ClientRequest& request) {
    CURL* c = static_cast<CURL*>(curl_);
    curl_easy_reset(c);
    ClientResponse response;
    curl_slist* headers = nullptr;
    for (const auto& [k, v] : request.headers) headers = curl_slist_append(headers, (k + ": " + v).c_str());
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, request.timeout_ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &response.headers);
    if (request.method == "HEAD") curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT" || request.method == "PATCH") {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    }
    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(headers);
    if (rc != CURLE_OK)
        throw TransportError(fmt::format("{} {}: {}", request.method, Redacted(request.url), curl_easy_strerror(rc)));
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
}

}  // namespace uxf::http
