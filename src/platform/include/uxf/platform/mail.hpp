#pragma once
#include <span>
#include <string>

#include "uxf/core/settings.hpp"

namespace uxf::mail {

struct Message {
    std::string to;
    std::string subject;
    std::string body;  ///< plain text
};

/// SMTP delivery settings. `url`: `smtp://host:port` or `smtps://host:port` (empty: mail stays in the outbox).
struct SmtpSettings {
    std::string url;
    std::string from = "UX-Flow-Engine <no-reply@localhost>";
    std::string username;
    std::string password;
    long timeout_ms = 15000;
};

/// The UXFLOW_* variables of SmtpSettings (the defaults are the struct's).
std::span<const settings::Entry<SmtpSettings>> SmtpSettingsTable();

/// Sends one message over SMTP with libcurl. Throws std::runtime_error when the server refuses or is unreachable.
class SmtpSender {
  public:
    explicit SmtpSender(SmtpSettings settings);
    void Send(const Message& message) const;

  private:
    SmtpSettings settings_;
};

}  // namespace uxf::mail
