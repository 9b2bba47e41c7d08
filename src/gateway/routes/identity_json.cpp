#include "identity_json.hpp"

#include <boost/json.hpp>

namespace uxf::gateway {

namespace {
boost::json::value Time(Micros t) { return boost::json::value(FormatRfc3339(t)); }
boost::json::value OrNull(const std::string& s) {
    return s.empty() ? boost::json::value(nullptr) : boost::json::value(s);
}
}  // namespace

boost::json::value ToJson(const identity::User& u) {
    return {{"id", u.id},
            {"email", u.email},
            {"name", u.name},
            {"mfa_enabled", u.mfa_enabled},
            {"created_at", Time(u.created_at)}};
}

boost::json::value ToJson(const identity::Workspace& w) {
    return {{"id", w.id},
            {"name", w.name},
            {"personal", w.personal},
            {"role", identity::RoleName(w.role)},
            {"created_at", Time(w.created_at)}};
}

boost::json::value ToJson(const identity::Member& m) {
    return {{"user_id", m.user_id},
            {"email", m.email},
            {"name", m.name},
            {"role", identity::RoleName(m.role)},
            {"joined_at", Time(m.joined_at)}};
}

boost::json::value ToJson(const identity::Session& s) {
    return {{"id", s.id},
            {"created_at", Time(s.created_at)},
            {"last_used_at", Time(s.last_used_at)},
            {"expires_at", Time(s.expires_at)},
            {"ip", s.ip},
            {"user_agent", s.user_agent},
            {"current", s.current}};
}

boost::json::value ToJson(const identity::AuditEntry& e) {
    return {{"id", e.id},
            {"workspace_id", OrNull(e.workspace_id)},
            {"user_id", OrNull(e.user_id)},
            {"actor_id", OrNull(e.actor_id)},
            {"action", e.action},
            {"ip", e.ip},
            {"user_agent", e.user_agent},
            {"details", e.details},
            {"request_id", e.request_id},
            {"created_at", Time(e.created_at)}};
}

boost::json::value ToJson(const identity::TokenPair& t) {
    return {{"access_token", t.access_token},
            {"refresh_token", t.refresh_token},
            {"token_type", "Bearer"},
            {"expires_in", t.expires_in}};
}

boost::json::value ToJson(const identity::AuthResult& r) {
    boost::json::object out = ToJson(r.tokens).as_object();
    out["user"] = ToJson(r.user);
    if (r.workspace) out["workspace"] = ToJson(*r.workspace);
    return out;
}

}  // namespace uxf::gateway
