// Transport behaviour: service endpoints, headers, limits, keep-alive, pipelining, malformed HTTP, shutdown.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <latch>
#include <thread>

#include "server_fixture.hpp"
#include "uxf/platform/crypto_test_hooks.hpp"

namespace uxf::testing {
namespace {

// A raw TCP client, for what libcurl would not send.
class RawClient {
  public:
    explicit RawClient(unsigned short port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("connect");
    }
    ~RawClient() { ::close(fd_); }
    void Send(const std::string& s) { ::send(fd_, s.data(), s.size(), MSG_NOSIGNAL); }
    // Reads until `count` HTTP responses arrived or the peer closed, or the timeout passed.
    std::string ReadResponses(int count, int timeout_ms = 5000) {
        std::string out;
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
        while (Count(out, "HTTP/1.1 ") < count || !BodiesComplete(out)) {
            int left = static_cast<int>(
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now())
                    .count());
            pollfd p{fd_, POLLIN, 0};
            if (left <= 0 || ::poll(&p, 1, left) <= 0) break;
            char buf[8192];
            ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0) {
                closed_ = true;
                break;
            }
            out.append(buf, static_cast<std::size_t>(n));
        }
        return out;
    }
    bool closed() const { return closed_; }
    static int Count(const std::string& s, const std::string& what) {
        int n = 0;
        for (auto pos = s.find(what); pos != std::string::npos; pos = s.find(what, pos + 1)) ++n;
        return n;
    }

  private:
    static bool BodiesComplete(const std::string& s) {
        auto last = s.rfind("HTTP/1.1 ");
        auto end = s.find("\r\n\r\n", last);
        if (end == std::string::npos) return false;
        auto cl = s.find("Content-Length: ", last);
        if (cl == std::string::npos || cl > end) return true;
        return s.size() - (end + 4) >= std::stoul(s.substr(cl + 16));
    }
    int fd_;
    bool closed_ = false;
};

class ServerBehaviourTest : public ServerTest {
  protected:
    void SetUp() override {
        auto c = BaseConfig();
        c.gateway.max_body_bytes = 4096;
        Start(c);
    }
};

TEST_F(ServerBehaviourTest, HealthReadyMetricsOpenApi) {
    auto health = Call("GET", "/healthz");
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(health.Str("status"), "ok");
    EXPECT_EQ(Call("GET", "/readyz").status, 200);
    auto doc = Call("GET", "/v1/openapi.json");
    EXPECT_EQ(doc.status, 200);
    EXPECT_EQ(doc.body.at("openapi").as_string().subview(0, 3), "3.1");
    Call("GET", "/nope");
    auto metrics = Call("GET", "/metrics");
    EXPECT_EQ(metrics.status, 200);
    EXPECT_TRUE(metrics.Header("Content-Type").starts_with("text/plain"));
    EXPECT_NE(metrics.raw.find(R"(uxflow_http_requests_total{route="/healthz",method="GET",status="200"} 1)"),
              std::string::npos)
        << metrics.raw;
    EXPECT_NE(metrics.raw.find(R"(route="unmatched",method="GET",status="404")"), std::string::npos);
    EXPECT_NE(metrics.raw.find("uxflow_http_request_duration_seconds_bucket"), std::string::npos);
}

TEST_F(ServerBehaviourTest, EveryAnswerCarriesRequestIdAndSecurityHeaders) {
    auto r = Call("GET", "/v1/me", "", "", {{"X-Request-Id", "my-trace-1"}});
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.Header("X-Request-Id"), "my-trace-1");
    EXPECT_EQ(r.Str("request_id"), "my-trace-1");
    EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r.Header("X-Frame-Options"), "DENY");
    EXPECT_EQ(r.Header("Referrer-Policy"), "no-referrer");
    EXPECT_TRUE(r.Header("Server").empty());
}

TEST_F(ServerBehaviourTest, OversizedBodiesGet413AndChangeNothing) {
    std::string big =
        R"({"email":"a@example.com","password":"correct horse battery","name":")" + std::string(8000, 'x') + R"("})";
    auto r = Call("POST", "/v1/auth/register", big);
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(r.Code(), "payload_too_large");
    auto login =
        Call("POST", "/v1/auth/login", Json({{"email", "a@example.com"}, {"password", "correct horse battery"}}));
    EXPECT_EQ(login.status, 401);  // the account was not created
    EXPECT_EQ(Call("GET", "/healthz").status, 200);
}

TEST_F(ServerBehaviourTest, KeepAliveAndPipelinedRequestsAnswerInOrder) {
    RawClient c(app_->port());
    c.Send(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: first\r\n\r\n"
        "GET /nope HTTP/1.1\r\nHost: x\r\nX-Request-Id: second\r\n\r\n"
        "GET /readyz HTTP/1.1\r\nHost: x\r\nX-Request-Id: third\r\n\r\n");
    std::string out = c.ReadResponses(3);
    ASSERT_EQ(RawClient::Count(out, "HTTP/1.1 "), 3) << out;
    auto first = out.find("X-Request-Id: first"), second = out.find("X-Request-Id: second"),
         third = out.find("X-Request-Id: third");
    ASSERT_NE(third, std::string::npos);
    EXPECT_LT(first, second);
    EXPECT_LT(second, third);
    EXPECT_NE(out.find("HTTP/1.1 404"), std::string::npos);
    EXPECT_FALSE(c.closed());
}

TEST_F(ServerBehaviourTest, LongPipelinesPastTheBoundStayInOrder) {
    RawClient c(app_->port());
    std::string burst;
    std::string body = R"({"email":"pipe@example.com","password":"correct horse battery","name":"P"})";
    for (int i = 0; i < 20; ++i) {
        if (i == 7) {
            burst +=
                "POST /v1/auth/register HTTP/1.1\r\nHost: x\r\nX-Request-Id: r7\r\nContent-Type: application/json\r\n"
                "Content-Length: " +
                std::to_string(body.size()) + "\r\n\r\n" + body;
        } else {
            burst += "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: r" + std::to_string(i) + "\r\n\r\n";
        }
    }
    c.Send(burst);
    std::string out = c.ReadResponses(20, 10000);
    ASSERT_EQ(RawClient::Count(out, "HTTP/1.1 "), 20) << out;
    std::size_t last = 0;
    for (int i = 0; i < 20; ++i) {
        auto pos = out.find("X-Request-Id: r" + std::to_string(i) + "\r\n");
        ASSERT_NE(pos, std::string::npos) << i;
        EXPECT_GT(pos, last) << "response " << i << " out of order";
        last = pos;
    }
    EXPECT_NE(out.find("HTTP/1.1 201"), std::string::npos);  // the registration in the middle
}

TEST_F(ServerBehaviourTest, MalformedHttpGets400AndTheServerLivesOn) {
    {
        RawClient c(app_->port());
        c.Send("THIS IS NOT HTTP\r\n\r\n");
        EXPECT_NE(c.ReadResponses(1).find("HTTP/1.1 400"), std::string::npos);
    }
    {
        RawClient c(app_->port());
        c.Send("GET /bad%zz HTTP/1.1\r\nHost: x\r\n\r\n");
        EXPECT_NE(c.ReadResponses(1).find("HTTP/1.1 400"), std::string::npos);
    }
    {
        RawClient c(app_->port());
        c.Send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n");
        EXPECT_NE(c.ReadResponses(1).find("HTTP/1.1 431"), std::string::npos);
    }
    EXPECT_EQ(Call("GET", "/healthz").status, 200);
}

TEST_F(ServerBehaviourTest, GracefulStopClosesIdleConnectionsAndFinishesInFlight) {
    RawClient idle(app_->port());
    idle.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_NE(idle.ReadResponses(1).find("200 OK"), std::string::npos);
    // A registration is held in its Argon2id hash until the stop has begun, so it is surely in flight then.
    std::promise<void> hashing;
    std::latch release(1);
    crypto::SetPasswordHashObserver([&](crypto::HashWork work, std::string_view) {
        if (work != crypto::HashWork::kHash) return;
        hashing.set_value();
        release.wait();
    });
    std::thread slow([&] {
        try {
            http::HttpClient client;
            auto r = client.Send({"POST",
                                  base_ + "/v1/auth/register",
                                  {{"Content-Type", "application/json"}},
                                  R"({"email":"late@example.com","password":"correct horse battery","name":"L"})",
                                  30000});
            EXPECT_EQ(r.status, 201);
        } catch (const std::exception& e) {
            ADD_FAILURE() << "the in-flight registration got no answer: " << e.what();
        }
    });
    bool held = hashing.get_future().wait_for(std::chrono::seconds(30)) == std::future_status::ready;
    EXPECT_TRUE(held) << "the registration never reached its hash";
    auto t0 = std::chrono::steady_clock::now();
    app_->Stop();
    // The stop has begun once the idle connection is closed; the registration is still held.
    idle.ReadResponses(1, 10000);
    EXPECT_TRUE(idle.closed());
    release.count_down();
    app_->Wait();
    slow.join();
    crypto::SetPasswordHashObserver(nullptr);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
}

}  // namespace
}  // namespace uxf::testing
