#include "smtp_sink.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace uxf::testing {
namespace {

bool SendAll(int fd, const std::string& s) {
    return ::send(fd, s.data(), s.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(s.size());
}

// Reads one CRLF-terminated line from `fd`, buffering the rest in `buf`.
bool ReadLine(int fd, std::string& buf, std::string& line) {
    for (;;) {
        auto pos = buf.find("\r\n");
        if (pos != std::string::npos) {
            line = buf.substr(0, pos);
            buf.erase(0, pos + 2);
            return true;
        }
        char chunk[4096];
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 5000) <= 0) return false;
        ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) return false;
        buf.append(chunk, static_cast<std::size_t>(n));
    }
}

}  // namespace

SmtpSink::SmtpSink() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 8) != 0)
        throw std::runtime_error("smtp sink: cannot listen");
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
}

SmtpSink::~SmtpSink() {
    stop_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    thread_.join();
}

void SmtpSink::Serve() {
    while (!stop_) {
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) continue;
        Converse(fd);
        ::close(fd);
    }
}

void SmtpSink::Converse(int fd) {
    std::string buf, line;
    Mail mail;
    if (!SendAll(fd, "220 sink ESMTP\r\n")) return;
    while (ReadLine(fd, buf, line)) {
        std::string verb = line.substr(0, 4);
        for (auto& c : verb) c = static_cast<char>(std::toupper(c));
        if (verb == "EHLO" || verb == "HELO") {
            SendAll(fd, "250 sink\r\n");
        } else if (verb == "MAIL") {
            mail = {};
            mail.from = line.substr(10);
            SendAll(fd, "250 OK\r\n");
        } else if (verb == "RCPT") {
            mail.to.push_back(line.substr(8));
            SendAll(fd, "250 OK\r\n");
        } else if (verb == "DATA") {
            SendAll(fd, "354 go ahead\r\n");
            while (ReadLine(fd, buf, line) && line != ".") mail.data += line + "\n";
            {
                std::lock_guard lock(mu_);
                mails_.push_back(mail);
            }
            cv_.notify_all();
            SendAll(fd, "250 queued\r\n");
        } else if (verb == "QUIT") {
            SendAll(fd, "221 bye\r\n");
            return;
        } else {
            SendAll(fd, "250 OK\r\n");
        }
    }
}

std::vector<SmtpSink::Mail> SmtpSink::WaitFor(std::size_t n, int timeout_ms) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return mails_.size() >= n; });
    return mails_;
}

}  // namespace uxf::testing
