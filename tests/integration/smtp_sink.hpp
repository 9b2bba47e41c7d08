// A local SMTP server for tests: speaks enough of RFC 5321 for libcurl to deliver, and keeps what it receives.
#pragma once
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace uxf::testing {

class SmtpSink {
  public:
    struct Mail {
        std::string from;
        std::vector<std::string> to;
        std::string data;
    };
    SmtpSink();
    ~SmtpSink();
    unsigned short port() const { return port_; }
    /// Waits up to `timeout_ms` for at least `n` mails; returns what arrived.
    std::vector<Mail> WaitFor(std::size_t n, int timeout_ms);

  private:
    void Serve();
    void Converse(int fd);
    int listen_fd_ = -1;
    unsigned short port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<Mail> mails_;
};

}  // namespace uxf::testing
