#include <charconv>

#include <fmt/format.h>

#include "internal.hpp"
#include "uxf/core/ids.hpp"
#include "uxf/core/strings.hpp"

namespace uxf::identity {

std::optional<std::string> NormaliseEmail(std::string_view email) {
    std::string e = ToLower(Trim(email));
    auto at = e.find('@');
    if (e.size() > 254 || at == std::string::npos || at == 0 || e.find('@', at + 1) != std::string::npos)
        return std::nullopt;
    std::string_view domain = std::string_view(e).substr(at + 1);
    if (domain.size() < 3 || domain.find('.') == std::string_view::npos || domain.front() == '.' ||
        domain.back() == '.')
        return std::nullopt;
    for (unsigned char c : e)
        if (c <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == ',' || c == ';' || c == '"') return std::nullopt;
    return e;
}

void WriteAudit(db::Tx& tx, AuditEntry e, const RequestMeta& meta, Micros now) {
    tx.Exec(
        "INSERT INTO audit_log (id, workspace_id, user_id, actor_id, action, ip, user_agent, details, request_id, "
        "created_at) VALUES (:id, :ws, :u, :a, :act, :ip, :ua, :d, :r, :t)",
        {NewId("aud"), e.workspace_id.empty() ? db::kNull : db::Value(e.workspace_id),
         e.user_id.empty() ? db::kNull : db::Value(e.user_id), e.actor_id.empty() ? db::kNull : db::Value(e.actor_id),
         e.action, meta.ip, meta.user_agent.substr(0, 512), e.details, meta.request_id, now});
}

events::Event EventFor(const AuditEntry& e, const RequestMeta& meta, Micros now) {
    events::Event ev{e.action, meta.request_id, e.workspace_id, e.user_id, {}, now};
    if (!e.actor_id.empty()) ev.fields.emplace_back("actor_id", e.actor_id);
    if (!e.details.empty()) ev.fields.emplace_back("details", e.details);
    return ev;
}

void Record(db::Tx& tx, const AuditEntry& entry, const RequestMeta& meta, Micros now,
            std::vector<events::Event>& published) {
    WriteAudit(tx, entry, meta, now);
    published.push_back(EventFor(entry, meta, now));
}

User UserFromRow(const db::Row& row, std::size_t f) {
    return {row.Str(f), row.Str(f + 1), row.Str(f + 2), row.Int(f + 3) != 0, row.Int(f + 4)};
}

Workspace WorkspaceFromRow(const db::Row& r) {
    return {r.Str(0), r.Str(1), r.Int(2) != 0, r.Int(3), ParseRole(r.Str(4)).value_or(Role::kViewer)};
}

}  // namespace uxf::identity
