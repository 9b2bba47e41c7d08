// SendWithRetries and BackoffDelay, over a scripted sender and over the real client against a local server.
#include <gtest/gtest.h>

#include <atomic>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "uxf/platform/http_client.hpp"
#include "uxf/testing/fake_http_server.hpp"

namespace uxf::http {
namespace {

using std::chrono::milliseconds;
using testing::FakeHttpServer;
using testing::FakeRequest;
using testing::FakeResponse;

TEST(BackoffDelay, FullJitterUnderADoublingCeilingCappedAtMaxDelay) {
    RetryPolicy p{10, 100, 1000};
    EXPECT_EQ(BackoffDelay(p, 1, "", 0.0), milliseconds(0));
    EXPECT_EQ(BackoffDelay(p, 1, "", 0.5), milliseconds(50));
    EXPECT_EQ(BackoffDelay(p, 2, "", 0.5), milliseconds(100));
    EXPECT_EQ(BackoffDelay(p, 3, "", 0.999), milliseconds(399));
    EXPECT_EQ(BackoffDelay(p, 5, "", 0.999), milliseconds(999));  // 1600 capped at 1000
    EXPECT_EQ(BackoffDelay(p, 60, "", 0.5), milliseconds(500));   // no overflow after many failures
}

TEST(BackoffDelay, RetryAfterSecondsAreHonouredUpToMaxDelay) {
    RetryPolicy p{10, 100, 5000};
    EXPECT_EQ(BackoffDelay(p, 1, "2", 0.0), milliseconds(2000));
    EXPECT_EQ(BackoffDelay(p, 1, " 0 ", 0.9), milliseconds(0));
    EXPECT_EQ(BackoffDelay(p, 1, "120", 0.0), milliseconds(5000));
    EXPECT_EQ(BackoffDelay(p, 1, "99999999999999999999", 0.0), milliseconds(5000));
    // The HTTP-date form and garbage fall back to the backoff.
    EXPECT_EQ(BackoffDelay(p, 1, "Wed, 21 Oct 2015 07:28:00 GMT", 0.5), milliseconds(50));
    EXPECT_EQ(BackoffDelay(p, 1, "-3", 0.5), milliseconds(50));
    EXPECT_EQ(BackoffDelay(p, 1, "-99999999999999999999", 0.5), milliseconds(50));
    EXPECT_EQ(BackoffDelay(p, 1, "1.5", 0.5), milliseconds(50));
}

TEST(RetryableStatus, TooManyRequestsAndServerErrors) {
    for (long s : {429L, 500L, 502L, 503L, 504L, 599L}) EXPECT_TRUE(IsRetryableStatus(s)) << s;
    for (long s : {200L, 201L, 301L, 400L, 401L, 403L, 404L, 409L, 422L}) EXPECT_FALSE(IsRetryableStatus(s)) << s;
}

// A sender that answers the scripted statuses in turn (0: throw as a transport failure would).
struct Script {
    std::vector<long> statuses;
    std::vector<std::string> retry_after;
    int calls = 0;
    ClientResponse operator()(const ClientRequest&) {
        int i = calls++;
        if (statuses.at(i) == 0) throw TransportError("connection refused");
        ClientResponse r{statuses[i], {}, "body " + std::to_string(i)};
        if (i < int(retry_after.size()) && !retry_after[i].empty())
            r.headers.emplace_back("retry-after", retry_after[i]);
        return r;
    }
};

struct Recorded {
    std::vector<milliseconds> sleeps;
    std::vector<std::string> reasons;
    RetryHooks Hooks() {
        return {[this](milliseconds d) { sleeps.push_back(d); },
                {},
                [this](int, milliseconds, const std::string& why) { reasons.push_back(why); }};
    }
};

TEST(SendWithRetries, RetriesTransportFailuresTooManyRequestsAndServerErrorsThenReturnsTheAnswer) {
    Script script{{0, 429, 503, 200}, {"", "3", "", ""}};
    Recorded rec;
    auto r = SendWithRetries(std::ref(script), {}, {5, 10, 1000}, rec.Hooks());
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "body 3");
    EXPECT_EQ(script.calls, 4);
    ASSERT_EQ(rec.sleeps.size(), 3u);
    EXPECT_LE(rec.sleeps[0], milliseconds(10));
    EXPECT_EQ(rec.sleeps[1], milliseconds(1000));  // Retry-After: 3 s, capped at max_delay
    EXPECT_LE(rec.sleeps[2], milliseconds(40));
    EXPECT_EQ(rec.reasons, (std::vector<std::string>{"connection refused", "HTTP 429", "HTTP 503"}));
}

TEST(SendWithRetries, OtherClientErrorsAreReturnedAtOnce) {
    for (long status : {400L, 401L, 403L, 404L}) {
        Script script{{status, 200}};
        Recorded rec;
        EXPECT_EQ(SendWithRetries(std::ref(script), {}, {5, 10, 100}, rec.Hooks()).status, status);
        EXPECT_EQ(script.calls, 1);
        EXPECT_TRUE(rec.sleeps.empty());
    }
}

TEST(SendWithRetries, WhenTheTriesRunOutTheLastAnswerOrTransportErrorComesBack) {
    Script answers{{503, 502, 500, 200}};
    Recorded rec;
    EXPECT_EQ(SendWithRetries(std::ref(answers), {}, {3, 1, 10}, rec.Hooks()).status, 500);
    EXPECT_EQ(answers.calls, 3);
    EXPECT_EQ(rec.sleeps.size(), 2u);

    Script failures{{503, 0, 0}};
    EXPECT_THROW(SendWithRetries(std::ref(failures), {}, {3, 1, 10}, rec.Hooks()), TransportError);
    EXPECT_EQ(failures.calls, 3);

    Script once{{503}};
    EXPECT_EQ(SendWithRetries(std::ref(once), {}, {1, 1, 10}, rec.Hooks()).status, 503);
    EXPECT_EQ(once.calls, 1);
}

TEST(SendWithRetries, TheCallerMayDecideWhatIsRetryable) {
    Script script{{429, 200}};
    RetryHooks hooks;
    hooks.sleep = [](milliseconds) {};
    hooks.retryable = [](const ClientResponse&) { return false; };  // e.g. a quota that is used up
    EXPECT_EQ(SendWithRetries(std::ref(script), {}, {5, 1, 10}, hooks).status, 429);
    EXPECT_EQ(script.calls, 1);
}

TEST(HttpClientAgainstFakeServer, SendsMethodHeadersAndBodyAndReusesTheConnection) {
    FakeHttpServer server([](const FakeRequest& r) {
        return FakeResponse{201, {{"X-Echo", r.Header("x-token")}}, r.method + " " + r.target + " " + r.body};
    });
    HttpClient client;
    for (int i = 0; i < 3; ++i) {
        auto r = client.Send({"POST", server.url() + "/v1/things?x=1", {{"X-Token", "t"}}, "{\"a\":1}", 5000});
        EXPECT_EQ(r.status, 201);
        EXPECT_EQ(r.Header("X-Echo"), "t");
        EXPECT_EQ(r.body, "POST /v1/things?x=1 {\"a\":1}");
    }
    auto requests = server.requests();
    ASSERT_EQ(requests.size(), 3u);
    EXPECT_EQ(requests[0].Header("content-length"), "7");
    EXPECT_EQ(server.connection_count(), 1u);  // keep-alive: one connection for the three
}

TEST(HttpClientAgainstFakeServer, RetriesADroppedConnectionAndA503ThenSucceeds) {
    std::atomic<int> n = 0;  // the server's connection threads count
    FakeHttpServer server([&n](const FakeRequest&) {
        ++n;
        FakeResponse dropped;
        dropped.drop = true;
        if (n == 1) return dropped;
        if (n == 2) return FakeResponse{503, {{"Retry-After", "0"}}, "busy"};
        return FakeResponse::Json("{}");
    });
    HttpClient client;
    std::vector<milliseconds> sleeps;
    RetryHooks hooks;
    hooks.sleep = [&](milliseconds d) { sleeps.push_back(d); };
    auto r = SendWithRetries(client, {"GET", server.url() + "/x", {}, "", 5000}, {4, 1, 50}, hooks);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.Header("content-type"), "application/json");
    EXPECT_EQ(server.request_count(), 3u);
    ASSERT_EQ(sleeps.size(), 2u);
    EXPECT_EQ(sleeps[1], milliseconds(0));  // Retry-After: 0
}

TEST(HttpClientAgainstFakeServer, ASlowServerIsATimeout) {
    FakeHttpServer server([](const FakeRequest&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        return FakeResponse::Json("{}");
    });
    HttpClient client;
    EXPECT_THROW(client.Send({"GET", server.url(), {}, "", 50}), TransportError);
}

// A POST may have acted before a 5xx or a lost connection: it is sent again only with an Idempotency-Key (or when
// the policy says repeating it is harmless). A 429 was refused without acting, so it is retried whatever the method.
TEST(SendWithRetries, RepeatsAPostOnlyWhenThatCannotActTwice) {
    std::atomic<int> n = 0;
    std::atomic<long> status = 503;
    FakeHttpServer server([&](const FakeRequest&) {
        ++n;
        return FakeResponse{static_cast<int>(status.load()), {{"Retry-After", "0"}}, "busy"};
    });
    HttpClient client;
    RetryHooks hooks;
    hooks.sleep = [](milliseconds) {};
    auto send = [&](std::vector<std::pair<std::string, std::string>> headers, RetryPolicy policy) {
        n = 0;
        return SendWithRetries(client, {"POST", server.url() + "/charge", std::move(headers), "{}", 5000}, policy,
                               hooks)
            .status;
    };
    EXPECT_EQ(send({}, {3, 1, 10}), 503);
    EXPECT_EQ(n, 1);  // not repeated
    EXPECT_EQ(send({{"Idempotency-Key", "k1"}}, {3, 1, 10}), 503);
    EXPECT_EQ(n, 3);
    EXPECT_EQ(send({}, {3, 1, 10, true}), 503);
    EXPECT_EQ(n, 3);
    status = 429;
    EXPECT_EQ(send({}, {3, 1, 10}), 429);
    EXPECT_EQ(n, 3);
}

TEST(HttpClientAgainstFakeServer, TransportErrorsNameTheUrlWithoutItsSecrets) {
    try {
        HttpClient client;
        client.Send({"GET", "http://user:s3cret@127.0.0.1:1/path?key=s3cret", {}, "", 1000});
        FAIL() << "a closed port answered";
    } catch (const TransportError& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("http://127.0.0.1:1/path"), std::string::npos) << m;
        EXPECT_EQ(m.find("s3cret"), std::string::npos) << m;
    }
}

TEST(HttpClientPool, HandsBackIdleClientsAndMakesMoreWhenAllAreOut) {
    HttpClientPool pool(1);
    HttpClient* kept;
    {
        auto a = pool.Borrow();
        auto b = pool.Borrow();
        EXPECT_NE(&*a, &*b);
        kept = &*b;
    }  // b goes back first; a then finds the pool full and is closed
    auto c = pool.Borrow();
    EXPECT_EQ(&*c, kept);
    auto d = pool.Borrow();
    EXPECT_NE(&*d, &*c);
}

}  // namespace
}  // namespace uxf::http
