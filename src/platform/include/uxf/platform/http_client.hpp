#pragma once
#include <string>
#include <utility>
#include <vector>

namespace uxf::http {

struct ClientRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    long timeout_ms = 10000;
};

struct ClientResponse {
    long status = 0;
    std::vector<std::pair<std::string, std::string>> headers;  ///< names lower-cased
    std::string body;
    std::string Header(std::string_view name) const;
};

/// Outbound HTTP(S) over libcurl. Throws std::runtime_error on transport failure (refused, timeout, TLS).
/// One client per thread, or guard it: a client reuses its connection between calls.
class HttpClient {
  public:
    HttpClient();
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;
    ClientResponse Send(const ClientRequest& request);

  private:
    void* curl_;
};

}  // namespace uxf::http
