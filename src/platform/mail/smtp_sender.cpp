#include <cstring>
#include <ctime>
#include <stdexcept>

#include <curl/curl.h>
#include <fmt/format.h>

#include "uxf/core/ids.hpp"
#include "uxf/platform/mail.hpp"

namespace uxf::mail {
namespace {

struct Payload {
    std::string data;
    std::size_t pos = 0;
};

size_t ReadPayload(char* buffer, size_t size, size_t n, void* user) {
    auto* p = static_cast<Payload*>(user);
    std::size_t len = std::min(size * n, p->data.size() - p->pos);
    std::memcpy(buffer, p->data.data() + p->pos, len);
    p->pos += len;
    return len;
}

// The address inside "Name <addr>" or the whole string.
std::string Address(const std::string& s) {
    auto lt = s.find('<');
    auto gt = s.find('>');
    if (lt != std::string::npos && gt != std::string::npos && gt > lt) return s.substr(lt + 1, gt - lt - 1);
    return s;
}

std::string StripNewlines(std::string s) {
    std::erase_if(s, [](char c) { return c == '\r' || c == '\n'; });
    return s;
}

}  // namespace

SmtpSender::SmtpSender(SmtpSettings settings) : settings_(std::move(settings)) {}

void SmtpSender::Send(const Message& message) const {
    CURL* c = curl_easy_init();
    if (!c) throw std::runtime_error("curl_easy_init failed");
    char date[64];
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    std::string body = message.body;
    // SMTP transparency: lines starting with '.' and bare LF.
    std::string normalised;
    for (std::size_t i = 0; i < body.size(); ++i) {
        if ((i == 0 || body[i - 1] == '\n') && body[i] == '.') normalised += '.';
        if (body[i] == '\n' && (i == 0 || body[i - 1] != '\r')) normalised += '\r';
        normalised += body[i];
    }
    Payload payload{
        fmt::format("Date: {}\r\nTo: {}\r\nFrom: {}\r\nMessage-ID: <{}@uxflow>\r\nSubject: {}\r\n"
                    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{}\r\n",
                    date, StripNewlines(message.to), StripNewlines(settings_.from), NewId("msg"),
                    StripNewlines(message.subject), normalised)};
    curl_slist* rcpt = curl_slist_append(nullptr, ("<" + Address(message.to) + ">").c_str());
    std::string from = "<" + Address(settings_.from) + ">";
    curl_easy_setopt(c, CURLOPT_URL, settings_.url.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadPayload);
    curl_easy_setopt(c, CURLOPT_READDATA, &payload);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, settings_.timeout_ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (!settings_.username.empty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, settings_.username.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, settings_.password.c_str());
        curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
    }
    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(c);
    if (rc != CURLE_OK) throw std::runtime_error(fmt::format("SMTP delivery failed: {}", curl_easy_strerror(rc)));
}

}  // namespace uxf::mail
