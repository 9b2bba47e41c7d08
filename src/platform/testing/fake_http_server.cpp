#include "uxf/testing/fake_http_server.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "uxf/core/strings.hpp"

namespace uxf::testing {
namespace {

constexpr std::size_t kMaxRequestBytes = 64u << 20;

std::string_view Reason(int status) {
    switch (status) {
        case 200:
            return "OK";
        case 201:
            return "Created";
        case 204:
            return "No Content";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 408:
            return "Request Timeout";
        case 429:
            return "Too Many Requests";
        case 500:
            return "Internal Server Error";
        case 502:
            return "Bad Gateway";
        case 503:
            return "Service Unavailable";
        case 504:
            return "Gateway Timeout";
        default:
            return "Status";
    }
}

std::string HeaderOf(const std::vector<std::pair<std::string, std::string>>& headers, std::string_view name) {
    std::string key = ToLower(name);
    for (const auto& [k, v] : headers)
        if (k == key) return v;
    return {};
}

// Reads from a socket into a buffer, on demand.
class Reader {
  public:
    explicit Reader(int fd) : fd_(fd) {}
    // Grows the buffer; false at end of stream or error.
    bool Fill() {
        char chunk[16384];
        ssize_t n;
        do n = ::recv(fd_, chunk, sizeof chunk, 0);
        while (n < 0 && errno == EINTR);
        if (n <= 0 || buffer_.size() + std::size_t(n) > kMaxRequestBytes) return false;
        buffer_.append(chunk, std::size_t(n));
        return true;
    }
    // The text up to `delimiter` (consumed with it), or nullopt when the stream ends first.
    std::optional<std::string> Until(std::string_view delimiter) {
        std::size_t at;
        while ((at = buffer_.find(delimiter)) == std::string::npos)
            if (!Fill()) return std::nullopt;
        std::string out = buffer_.substr(0, at);
        buffer_.erase(0, at + delimiter.size());
        return out;
    }
    std::optional<std::string> Bytes(std::size_t n) {
        while (buffer_.size() < n)
            if (!Fill()) return std::nullopt;
        std::string out = buffer_.substr(0, n);
        buffer_.erase(0, n);
        return out;
    }

  private:
    int fd_;
    std::string buffer_;
};

std::optional<FakeRequest> ReadRequest(Reader& in) {
    auto head = in.Until("\r\n\r\n");
    if (!head) return std::nullopt;
    FakeRequest r;
    std::string_view rest(*head);
    auto line_end = rest.find("\r\n");
    std::string_view line = rest.substr(0, line_end);
    auto sp1 = line.find(' '), sp2 = line.rfind(' ');
    if (sp1 == std::string_view::npos || sp2 <= sp1) return std::nullopt;
    r.method = line.substr(0, sp1);
    r.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    rest = line_end == std::string_view::npos ? std::string_view() : rest.substr(line_end + 2);
    while (!rest.empty()) {
        auto end = rest.find("\r\n");
        std::string_view h = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 2);
        auto colon = h.find(':');
        if (colon == std::string_view::npos) continue;
        r.headers.emplace_back(ToLower(Trim(h.substr(0, colon))), std::string(Trim(h.substr(colon + 1))));
    }
    if (ToLower(r.Header("transfer-encoding")).find("chunked") != std::string::npos) {
        for (;;) {
            auto size_line = in.Until("\r\n");
            if (!size_line) return std::nullopt;
            std::size_t size = std::stoul(*size_line, nullptr, 16);
            if (size == 0) {
                while (auto trailer = in.Until("\r\n"))
                    if (trailer->empty()) break;
                break;
            }
            auto data = in.Bytes(size + 2);
            if (!data) return std::nullopt;
            r.body.append(*data, 0, size);
        }
    } else if (auto length = r.Header("content-length"); !length.empty()) {
        auto body = in.Bytes(std::stoul(length));
        if (!body) return std::nullopt;
        r.body = std::move(*body);
    }
    return r;
}

bool SendAll(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data.remove_prefix(std::size_t(n));
    }
    return true;
}

}  // namespace

std::string FakeRequest::Header(std::string_view name) const { return HeaderOf(headers, name); }

struct FakeHttpServer::Impl {
    mutable std::mutex mu;
    Handler handler;
    std::vector<FakeRequest> requests;
    std::set<int> open_fds;
    std::vector<std::thread> connections;
    std::size_t accepted = 0;
    bool stopping = false;
    int listen_fd = -1;
    unsigned short port = 0;
    std::thread acceptor;

    void Accept() {
        for (;;) {
            int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
            std::lock_guard lock(mu);
            if (stopping) {
                if (fd >= 0) ::close(fd);
                return;
            }
            if (fd < 0) {
                if (errno == EINTR || errno == ECONNABORTED) continue;
                return;
            }
            open_fds.insert(fd);
            std::size_t id = ++accepted;
            connections.emplace_back([this, fd, id] { Serve(fd, id); });
        }
    }

    void Serve(int fd, std::size_t id) {
        Reader in(fd);
        for (;;) {
            std::optional<FakeRequest> request;
            try {
                request = ReadRequest(in);
            } catch (const std::exception&) {  // a malformed length: the connection ends
            }
            if (!request) break;
            request->connection = id;
            Handler h;
            {
                std::lock_guard lock(mu);
                requests.push_back(*request);
                h = handler;
            }
            FakeResponse response{404, {}, ""};
            try {
                if (h) response = h(*request);
            } catch (const std::exception& e) {  // a bug in the test's handler: an answer, not std::terminate
                response = FakeResponse{500, {}, std::string("FakeHttpServer: the handler threw: ") + e.what()};
            }
            if (response.drop) break;
            bool close = ToLower(request->Header("connection")) == "close";
            std::string out = fmt::format("HTTP/1.1 {} {}\r\n", response.status, Reason(response.status));
            for (const auto& [k, v] : response.headers) out += fmt::format("{}: {}\r\n", k, v);
            out += fmt::format("Content-Length: {}\r\n", response.body.size());
            if (close) out += "Connection: close\r\n";
            out += "\r\n";
            if (request->method != "HEAD") out += response.body;
            if (!SendAll(fd, out) || close) break;
        }
        std::lock_guard lock(mu);
        open_fds.erase(fd);
        ::close(fd);
    }
};

FakeHttpServer::FakeHttpServer(Handler handler) : impl_(std::make_unique<Impl>()) {
    impl_->handler = std::move(handler);
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error(fmt::format("FakeHttpServer: socket: {}", std::strerror(errno)));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 64) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        int err = errno;
        ::close(fd);
        throw std::runtime_error(fmt::format("FakeHttpServer: listen on 127.0.0.1: {}", std::strerror(err)));
    }
    impl_->listen_fd = fd;
    impl_->port = ntohs(addr.sin_port);
    impl_->acceptor = std::thread([this] { impl_->Accept(); });
}

FakeHttpServer::~FakeHttpServer() {
    {
        std::lock_guard lock(impl_->mu);
        impl_->stopping = true;
        ::shutdown(impl_->listen_fd, SHUT_RDWR);                   // wakes accept()
        for (int fd : impl_->open_fds) ::shutdown(fd, SHUT_RDWR);  // wakes recv(); Serve closes the socket
    }
    impl_->acceptor.join();
    ::close(impl_->listen_fd);
    // No new connection threads start once the acceptor is gone: joined without the lock (Serve takes it).
    for (auto& t : impl_->connections) t.join();
}

unsigned short FakeHttpServer::port() const { return impl_->port; }

std::string FakeHttpServer::url() const { return fmt::format("http://127.0.0.1:{}", impl_->port); }

void FakeHttpServer::SetHandler(Handler handler) {
    std::lock_guard lock(impl_->mu);
    impl_->handler = std::move(handler);
}

std::vector<FakeRequest> FakeHttpServer::requests() const {
    std::lock_guard lock(impl_->mu);
    return impl_->requests;
}

std::size_t FakeHttpServer::request_count() const {
    std::lock_guard lock(impl_->mu);
    return impl_->requests.size();
}

std::size_t FakeHttpServer::connection_count() const {
    std::lock_guard lock(impl_->mu);
    return impl_->accepted;
}

}  // namespace uxf::testing
