// A local HTTP/1.1 server for tests of outbound clients (embedding providers, Stripe, LLMs): it listens on
// 127.0.0.1 on a free port, hands each request to the test's handler, answers what the handler returns, and keeps
// every request for the test to inspect.
#pragma once
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace uxf::testing {

struct FakeRequest {
    std::string method;
    std::string target;                                        ///< as sent: path and query
    std::vector<std::pair<std::string, std::string>> headers;  ///< names lower-cased, in order
    std::string body;                                          ///< chunked bodies arrive de-chunked
    std::size_t connection = 0;                                ///< which connection brought it (1, 2, ...)
    std::string Header(std::string_view name) const;           ///< "" when absent
};

struct FakeResponse {
    FakeResponse() = default;
    FakeResponse(int status_code, std::vector<std::pair<std::string, std::string>> header_list, std::string text)
        : status(status_code), headers(std::move(header_list)), body(std::move(text)) {}

    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;  ///< Content-Length is added
    std::string body;
    /// Close the connection without answering: the client sees a transport failure.
    bool drop = false;

    static FakeResponse Json(std::string body, int status = 200) {
        return {status, {{"Content-Type", "application/json"}}, std::move(body)};
    }
};

/// Plain POSIX sockets, one thread per connection; connections stay open between requests (HTTP/1.1 keep-alive)
/// until the client closes them or sends `Connection: close`. The handler runs on the connection's thread: make it
/// thread-safe when the client under test sends from several threads; a handler that throws answers 500 with the
/// exception's message. The destructor closes every connection and
/// waits for handlers still running.
class FakeHttpServer {
  public:
    using Handler = std::function<FakeResponse(const FakeRequest&)>;

    explicit FakeHttpServer(Handler handler);
    ~FakeHttpServer();
    FakeHttpServer(const FakeHttpServer&) = delete;
    FakeHttpServer& operator=(const FakeHttpServer&) = delete;

    unsigned short port() const;
    std::string url() const;  ///< "http://127.0.0.1:<port>"
    void SetHandler(Handler handler);
    std::vector<FakeRequest> requests() const;  ///< every request so far, in arrival order
    std::size_t request_count() const;
    std::size_t connection_count() const;  ///< connections accepted so far

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace uxf::testing
