#include "uxf/platform/mail.hpp"

namespace uxf::mail {
namespace {

using namespace settings;

constexpr Entry<SmtpSettings> kTable[] = {
    Text<&SmtpSettings::url>("UXFLOW_SMTP_URL",
                             "`smtp://host:port` or `smtps://host:port`; without it mails wait in the outbox."),
    Text<&SmtpSettings::from>("UXFLOW_SMTP_FROM", "Sender of mails."),
    Text<&SmtpSettings::username>("UXFLOW_SMTP_USERNAME", "SMTP login."),
    Text<&SmtpSettings::password>("UXFLOW_SMTP_PASSWORD", "SMTP password."),
    Integer<&SmtpSettings::timeout_ms>("UXFLOW_SMTP_TIMEOUT_MS", 1000, 600'000,
                                       "Milliseconds one delivery may take; a mail that fails is tried again later."),
};

}  // namespace

std::span<const Entry<SmtpSettings>> SmtpSettingsTable() { return kTable; }

}  // namespace uxf::mail
