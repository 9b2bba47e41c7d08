// The only file that speaks Beast: connections, parsing, timeouts and shutdown. The I/O context runs on `workers`
// threads, one strand per connection; a lone request is handled right on the thread that read it (no hand-off to
// another thread and back: two context switches per request saved), pipelined batches on the worker pool so they
// run concurrently, password hashing on its own small pool.
#include "uxf/gateway/server.hpp"

#include <array>
#include <atomic>
#include <list>
#include <map>
#include <mutex>
#include <thread>

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include "uxf/core/ids.hpp"
#include "uxf/core/strings.hpp"
#include "uxf/gateway/dispatcher.hpp"
#include "uxf/gateway/errors.hpp"

namespace uxf::gateway {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

std::pair<std::string, std::string> SplitHostPort(const std::string& listen) {
    auto colon = listen.rfind(':');
    if (colon == std::string::npos) throw std::invalid_argument("UXFLOW_LISTEN must be host:port");
    std::string host = listen.substr(0, colon);
    if (host.size() > 1 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    return {host, listen.substr(colon + 1)};
}

// Moves the body out; the header stays readable (version, keep-alive) for the response.
Request ToRequest(http::request<http::string_body>& in, const std::string& remote_ip) {
    Request r;
    r.method = std::string(in.method_string());
    r.target = std::string(in.target());
    for (const auto& field : in) r.headers.emplace_back(ToLower(field.name_string()), std::string(field.value()));
    r.body = std::move(in.body());
    r.remote_ip = remote_ip;
    return r;
}

// Whether an answer with this status carries a body (RFC 9110: not 1xx, 204 or 304), and so a Content-Length.
bool HasBody(int status) { return status >= 200 && status != 204 && status != 304; }

// Writes the status line and header fields of an answer into `head` (reused by the connection). Beast parses
// requests; answers are written here, as one head and the body in a single gathered write: Beast's serializer
// walked a chain of buffer views per write and allocated each header field (about a tenth of a small GET's CPU).
// A CR or LF in a value (none is expected: values are ids, validated names, known origins) becomes a space, so no
// header can end early.
void FormatHead(std::string& head, const Response& in, unsigned version, bool keep_alive, std::size_t body_size) {
    auto add_value = [&](std::string_view v) {
        for (char c : v) head += (c == '\r' || c == '\n') ? ' ' : c;
    };
    head.assign(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
    head += std::to_string(in.status);
    head += ' ';
    auto reason = http::obsolete_reason(static_cast<http::status>(in.status));
    head.append(reason.data(), reason.size());
    head += "\r\n";
    if (!in.content_type.empty() && HasBody(in.status)) {
        head += "Content-Type: ";
        add_value(in.content_type);
        head += "\r\n";
    }
    for (const auto& [k, v] : in.headers) {
        add_value(k);
        head += ": ";
        add_value(v);
        head += "\r\n";
    }
    if (HasBody(in.status)) {
        head += "Content-Length: ";
        head += std::to_string(body_size);
        head += "\r\n";
    }
    if (version == 10 && keep_alive) head += "Connection: keep-alive\r\n";
    if (version != 10 && !keep_alive) head += "Connection: close\r\n";
    head += "\r\n";
}

// Sends `in` (HEAD: the head only, with the length the body would have).
asio::awaitable<beast::error_code> WriteResponse(beast::tcp_stream& stream, std::string& head, const Response& in,
                                                 unsigned version, bool keep_alive, bool head_only) {
    std::string_view body = in.Body();
    FormatHead(head, in, version, keep_alive, body.size());
    std::array<asio::const_buffer, 2> buffers{
        asio::buffer(head), head_only || !HasBody(in.status) ? asio::const_buffer() : asio::buffer(body)};
    // Asio's transfer_all hands the socket at most 64 KiB per call: a 400 KB flow went out in seven sends, each a
    // wake-up of the reader. Offer all of it at once; the kernel takes what fits in the send buffer.
    auto all_at_once = [](const boost::system::error_code& e, std::size_t) -> std::size_t {
        return e ? 0 : std::size_t{1} << 30;
    };
    auto [ec, n] = co_await asio::async_write(stream, buffers, all_at_once, kTuple);
    co_return ec;
}

}  // namespace

struct Server::Impl {
    Impl(Dispatcher& d, const GatewaySettings& s)
        : dispatcher(d),
          settings(s),
          workers_count(s.workers ? s.workers : std::max(1u, std::thread::hardware_concurrency())),
          workers(workers_count),
          hashers(s.hash_workers
                      ? s.hash_workers
                      : std::max<std::size_t>(1, (s.workers ? s.workers : std::thread::hardware_concurrency()) / 2)) {}

    // A connection's registration, so shutdown can close idle keep-alive connections. The list is guarded by
    // conns_mu; a connection's socket is only touched on its own strand.
    struct Conn {
        beast::tcp_stream* stream;
        std::atomic<bool> busy{false};
    };

    asio::awaitable<void> Accept() {
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), kTuple);
            if (ec) {
                if (stopping || ec == asio::error::operation_aborted) co_return;
                spdlog::warn("accept failed: {}", ec.message());
                continue;
            }
            // Answers go out in one gathered write; without this, the tail of a large one waits for the peer's
            // delayed ACK (Nagle), 40 ms on Linux.
            beast::error_code nodelay_ec;
            socket.set_option(tcp::no_delay(true), nodelay_ec);
            auto strand = socket.get_executor();
            asio::co_spawn(strand, Session(beast::tcp_stream(std::move(socket))), asio::detached);
        }
    }

    // Cancels the pending read of idle connections (each on its own strand), so they close.
    void CancelIdle() {
        std::lock_guard lock(conns_mu);
        for (auto& c : conns) {
            if (c.busy) continue;
            asio::post(c.stream->get_executor(), [&c, this] {
                std::lock_guard inner(conns_mu);  // still registered: the session has not ended
                for (auto& alive : conns)
                    if (&alive == &c && !c.busy) {
                        beast::error_code ignored;
                        c.stream->socket().cancel(ignored);
                    }
            });
        }
    }

    asio::awaitable<Response> Handle(Request& req, bool inline_ok) {
        auto match = dispatcher.Match(req);
        Pool pool = match.route ? match.route->options.pool : Pool::kDefault;
        if (pool == Pool::kPasswords) {
            if (pending_hashes.fetch_add(1) >= static_cast<long>(settings.hash_queue)) {
                pending_hashes.fetch_sub(1);
                Error e = Error::Make(ErrorCode::kUnavailable, "overloaded", "too many sign-ins at once; retry soon");
                e.retry_after_s = 1;
                co_return dispatcher.Refuse(req, e);
            }
            auto resp = co_await asio::co_spawn(
                hashers, [&]() -> asio::awaitable<Response> { co_return dispatcher.Handle(req, match); },
                asio::use_awaitable);
            pending_hashes.fetch_sub(1);
            co_return resp;
        }
        if (inline_ok) co_return dispatcher.Handle(req, match);
        co_return co_await asio::co_spawn(
            workers, [&]() -> asio::awaitable<Response> { co_return dispatcher.Handle(req, match); },
            asio::use_awaitable);
    }

    using BeastRequest = http::request<http::string_body>;
    using Parser = http::request_parser<http::string_body>;

    // Answers a request the server could not take (or read) and leaves the connection to close.
    asio::awaitable<void> WriteError(beast::tcp_stream& stream, const std::string& remote_ip, Error error,
                                     const Parser* parser = nullptr) {
        Request req;
        req.remote_ip = remote_ip;
        if (parser && parser->is_header_done()) {
            req.method = std::string(parser->get().method_string());
            req.target = std::string(parser->get().target());
            std::map<std::string, std::string> ignored_query;
            if (!ParseTarget(req.target, req.path, ignored_query)) req.path.clear();
        }
        Response resp = dispatcher.Refuse(req, error);
        std::string head;
        stream.expires_after(std::chrono::seconds(settings.read_timeout_s));
        co_await WriteResponse(stream, head, resp, 11, false, false);
    }

    Error TooLarge() const {
        return Error::Make(ErrorCode::kPayloadTooLarge, "payload_too_large",
                           "the body is larger than " + std::to_string(settings.max_body_bytes) + " bytes");
    }
    static Error Malformed(const char* what) { return Error::Make(ErrorCode::kInvalidInput, "bad_request", what); }

    std::unique_ptr<Parser> NewParser() const {
        auto p = std::make_unique<Parser>();
        p->body_limit(settings.max_body_bytes);
        p->header_limit(16 * 1024);
        p->eager(true);
        return p;
    }

    // Pipelining: parses further requests already received on this connection, without waiting for the network,
    // up to the bound. An incomplete one stays in `next` for the next read; a malformed one sets `bad`.
    void TakeBuffered(beast::flat_buffer& buffer, std::vector<BeastRequest>& batch, std::unique_ptr<Parser>& next,
                      bool& bad) const {
        while (batch.size() < settings.max_pipeline && buffer.size() > 0) {
            beast::error_code ec;
            while (!next->is_done()) {
                std::size_t used = next->put(buffer.data(), ec);
                buffer.consume(used);
                if (ec == http::error::need_more) return;
                if (ec) {
                    bad = true;
                    return;
                }
                if (used == 0) return;
            }
            batch.push_back(next->release());
            next = NewParser();
        }
    }

    // Turns one parsed request into a response: target parsing, then the dispatcher on a worker pool.
    asio::awaitable<Response> Process(BeastRequest& in, const std::string& remote_ip, bool inline_ok) {
        Request req = ToRequest(in, remote_ip);
        if (!ParseTarget(req.target, req.path, req.query))
            co_return dispatcher.Refuse(req, Error::Invalid("the request target is malformed"));
        ++in_flight;
        Response resp = co_await Handle(req, inline_ok);
        --in_flight;
        co_return resp;
    }

    // Handles a batch of pipelined requests concurrently; responses come back in request order.
    asio::awaitable<std::vector<Response>> ProcessBatch(std::vector<BeastRequest>& batch, const std::string& ip) {
        std::vector<Response> out(batch.size());
        if (batch.size() == 1) {
            out[0] = co_await Process(batch[0], ip, true);
            co_return out;
        }
        auto strand = co_await asio::this_coro::executor;
        std::size_t remaining = batch.size();
        asio::steady_timer all_done(strand, asio::steady_timer::time_point::max());
        for (std::size_t i = 0; i < batch.size(); ++i) {
            asio::co_spawn(strand, Process(batch[i], ip, false), [&, i](std::exception_ptr e, Response r) {
                if (e) {
                    Request failed;
                    failed.remote_ip = ip;
                    out[i] = dispatcher.Refuse(
                        failed, Error::Make(ErrorCode::kInternal, "internal_error", "the request failed"));
                } else {
                    out[i] = std::move(r);
                }
                if (--remaining == 0) all_done.cancel();
            });
        }
        if (remaining > 0) co_await all_done.async_wait(kTuple);  // completions run on this strand: no race
        co_return out;
    }

    // Reads the next request from the network into `parser` (which may hold part of it already).
    // Returns false when the connection should close (after answering errors).
    asio::awaitable<bool> ReadRequest(beast::tcp_stream& stream, beast::flat_buffer& buffer, Parser& parser,
                                      const std::string& remote_ip) {
        stream.expires_after(std::chrono::seconds(buffer.size() ? settings.read_timeout_s : settings.idle_timeout_s));
        if (!parser.is_header_done()) {
            auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, kTuple);
            if (ec) {
                if (ec == http::error::body_limit)
                    co_await WriteError(stream, remote_ip, TooLarge(), &parser);
                else if (ec == http::error::header_limit)
                    co_await WriteError(stream, remote_ip,
                                        Error::Make(ErrorCode::kHeadersTooLarge, "headers_too_large",
                                                    "the request headers are larger than 16 KiB"));
                else if (ec != http::error::end_of_stream && ec != beast::error::timeout &&
                         ec != asio::error::operation_aborted && ec != asio::error::connection_reset &&
                         ec != asio::error::eof)
                    co_await WriteError(stream, remote_ip, Malformed("malformed HTTP request"));
                co_return false;
            }
        }
        if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
            http::response<http::empty_body> cont{http::status::continue_, parser.get().version()};
            co_await http::async_write(stream, cont, kTuple);
        }
        stream.expires_after(std::chrono::seconds(settings.read_timeout_s));
        auto [ec, n] = co_await http::async_read(stream, buffer, parser, kTuple);
        if (ec) {
            if (ec == http::error::body_limit)
                co_await WriteError(stream, remote_ip, TooLarge(), &parser);
            else if (ec != beast::error::timeout && ec != asio::error::operation_aborted)
                co_await WriteError(stream, remote_ip, Malformed("malformed HTTP body"), &parser);
            co_return false;
        }
        co_return true;
    }

    asio::awaitable<void> Session(beast::tcp_stream stream) {
        std::list<Conn>::iterator conn;
        {
            std::lock_guard lock(conns_mu);
            conn = conns.emplace(conns.end());
            conn->stream = &stream;
        }
        beast::error_code ep_ec;
        auto endpoint = stream.socket().remote_endpoint(ep_ec);
        std::string remote_ip = ep_ec ? "" : endpoint.address().to_string();
        beast::flat_buffer buffer;
        std::string head;  // the answers' heads, written into one buffer reused for the connection's life
        auto parser = NewParser();
        for (bool open = !stopping; open;) {
            conn->busy = false;
            if (!co_await ReadRequest(stream, buffer, *parser, remote_ip)) break;
            conn->busy = true;
            std::vector<BeastRequest> batch;
            batch.push_back(parser->release());
            parser = NewParser();
            bool bad = false;
            TakeBuffered(buffer, batch, parser, bad);
            auto responses = co_await ProcessBatch(batch, remote_ip);
            for (std::size_t i = 0; i < batch.size() && open; ++i) {
                open = batch[i].keep_alive() && !stopping;
                stream.expires_after(std::chrono::seconds(settings.read_timeout_s));
                auto wec = co_await WriteResponse(stream, head, responses[i], batch[i].version(), open,
                                                  batch[i].method() == http::verb::head);
                if (wec) open = false;
            }
            if (bad && open) {
                co_await WriteError(stream, remote_ip, Malformed("malformed HTTP request"));
                break;
            }
        }
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        std::lock_guard lock(conns_mu);
        conns.erase(conn);
    }

    std::size_t OpenConnections() {
        std::lock_guard lock(conns_mu);
        return conns.size();
    }

    // Runs on the acceptor's strand.
    void BeginStop() {
        if (stopping.exchange(true)) return;
        spdlog::info("stopping: no new connections; {} request(s) in flight", in_flight.load());
        beast::error_code ignored;
        acceptor.close(ignored);
        CancelIdle();
        asio::co_spawn(ioc, Drain(), asio::detached);
    }

    asio::awaitable<void> Drain() {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(settings.shutdown_grace_s);
        asio::steady_timer timer(ioc);
        while (OpenConnections() > 0 && std::chrono::steady_clock::now() < deadline) {
            CancelIdle();
            timer.expires_after(std::chrono::milliseconds(20));
            co_await timer.async_wait(kTuple);
        }
        if (auto open = OpenConnections()) spdlog::warn("{} connection(s) still open after the grace period", open);
        ioc.stop();
    }

    Dispatcher& dispatcher;
    GatewaySettings settings;
    std::size_t workers_count;
    asio::io_context ioc{static_cast<int>(workers_count)};
    asio::strand<asio::io_context::executor_type> accept_strand{ioc.get_executor()};
    tcp::acceptor acceptor{accept_strand};
    asio::thread_pool workers;
    asio::thread_pool hashers;
    std::unique_ptr<asio::signal_set> signals;
    std::vector<std::thread> io_threads;
    std::mutex conns_mu;
    std::list<Conn> conns;
    std::atomic<bool> stopping{false};
    std::atomic<long> in_flight{0};
    std::atomic<long> pending_hashes{0};
    std::atomic<bool> joined{false};
};

Server::Server(Dispatcher& dispatcher, const GatewaySettings& settings)
    : impl_(std::make_unique<Impl>(dispatcher, settings)) {}

Server::~Server() {
    Stop();
    Wait();
}

void Server::Start() {
    auto [host, port] = SplitHostPort(impl_->settings.listen);
    tcp::resolver resolver(impl_->ioc);
    auto endpoints = resolver.resolve(host, port);
    tcp::endpoint ep = endpoints.begin()->endpoint();
    auto& acc = impl_->acceptor;
    acc.open(ep.protocol());
    acc.set_option(asio::socket_base::reuse_address(true));
    acc.bind(ep);
    acc.listen(asio::socket_base::max_listen_connections);
    asio::co_spawn(impl_->accept_strand, impl_->Accept(), asio::detached);
    for (std::size_t i = 0; i < impl_->workers_count; ++i)
        impl_->io_threads.emplace_back([this] {
            auto guard = asio::make_work_guard(impl_->ioc);
            impl_->ioc.run();
        });
    spdlog::info("listening on {}:{}", ep.address().to_string(), acc.local_endpoint().port());
}

unsigned short Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::Stop() {
    asio::post(impl_->accept_strand, [this] { impl_->BeginStop(); });
}

void Server::StopOnSignals() {
    impl_->signals = std::make_unique<asio::signal_set>(impl_->accept_strand, SIGINT, SIGTERM);
    impl_->signals->async_wait([this](const beast::error_code& ec, int sig) {
        if (ec) return;
        spdlog::info("signal {} received", sig);
        impl_->BeginStop();
    });
}

void Server::Wait() {
    if (impl_->joined.exchange(true)) return;
    for (auto& t : impl_->io_threads)
        if (t.joinable()) t.join();
    impl_->workers.join();
    impl_->hashers.join();
}

}  // namespace uxf::gateway
