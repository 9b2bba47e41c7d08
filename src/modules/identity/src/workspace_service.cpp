#include "uxf/identity/workspace_service.hpp"

#include <fmt/format.h>

#include "internal.hpp"
#include "uxf/core/ids.hpp"
#include "uxf/core/strings.hpp"

namespace uxf::identity {
namespace {

Error Forbidden(const char* what) {
    return Error::Make(ErrorCode::kForbidden, "forbidden", fmt::format("your role does not allow you to {}", what));
}

Error LastOwner() { return Error::Make(ErrorCode::kConflict, "last_owner", "a workspace needs at least one owner"); }

std::optional<Role> RoleIn(db::Tx& tx, const std::string& user_id, const std::string& workspace_id) {
    auto row =
        tx.QueryOne("SELECT role FROM memberships WHERE workspace_id = :w AND user_id = :u", {workspace_id, user_id});
    if (!row) return std::nullopt;
    return ParseRole(row->Str(0));
}

Result<Role> Require(db::Tx& tx, const std::string& user_id, const std::string& workspace_id, Role need,
                     const char* what) {
    auto role = RoleIn(tx, user_id, workspace_id);
    if (!role) return Error::NotFound("workspace");
    if (!RoleAtLeast(*role, need)) return Forbidden(what);
    return *role;
}

std::int64_t OwnerCount(db::Tx& tx, const std::string& workspace_id) {
    return tx.QueryOne("SELECT COUNT(*) FROM memberships WHERE workspace_id = :w AND role = 'owner'", {workspace_id})
        ->Int(0);
}

Member MemberFromRow(const db::Row& r) {  // columns: user_id, email, name, role, created_at
    return {r.Str(0), r.Str(1), r.Str(2), ParseRole(r.Str(3)).value_or(Role::kViewer), r.Int(4)};
}

std::optional<Member> MemberOf(db::Tx& tx, const std::string& workspace_id, const std::string& user_id) {
    auto r = tx.QueryOne(
        "SELECT m.user_id, u.email, u.name, m.role, m.created_at FROM memberships m JOIN users u ON u.id = m.user_id "
        "WHERE m.workspace_id = :w AND m.user_id = :u",
        {workspace_id, user_id});
    if (!r) return std::nullopt;
    return MemberFromRow(*r);
}

}  // namespace

WorkspaceService::WorkspaceService(db::Database& db, events::EventBus& bus, const Clock& clock)
    : db_(db), bus_(bus), clock_(clock) {}

Result<Page<Workspace>> WorkspaceService::List(const std::string& user_id, int limit, const std::string& cursor) const {
    limit = ClampLimit(limit);
    auto after = ParseCursor(cursor);
    if (!after.ok()) return after.error();
    return db_.Read([&](db::Tx& tx) -> Result<Page<Workspace>> {
        auto rows = tx.Query(
            "SELECT w.id, w.name, w.personal, w.created_at, m.role FROM memberships m JOIN workspaces w ON w.id = "
            "m.workspace_id WHERE m.user_id = :u AND (w.created_at > :t OR (w.created_at = :t2 AND w.id > :id)) "
            "ORDER BY w.created_at, w.id LIMIT :l",
            {user_id, after->at, after->at, after->id, std::int64_t{limit + 1}});
        return MakePage<Workspace>(rows, limit, WorkspaceFromRow,
                                   [](const Workspace& w) { return std::make_pair(w.created_at, w.id); });
    });
}

Result<Workspace> WorkspaceService::Create(const std::string& user_id, const std::string& name,
                                           const RequestMeta& meta) {
    std::string n(Trim(name));
    if (n.empty() || Utf8Chars(n) > 100) return Error::Invalid("bad name", {{"name", "must be 1 to 100 characters"}});
    Micros now = clock_.Now();
    Workspace ws{NewId("wsp"), n, false, now, Role::kOwner};
    AuditEntry a{.workspace_id = ws.id, .user_id = user_id, .actor_id = user_id, .action = "workspace.created"};
    return db::WriteAndPublish(db_, bus_, meta, [&](db::Tx& tx, db::PendingEvents& published) -> Result<Workspace> {
        tx.Exec("INSERT INTO workspaces (id, name, personal, created_by, created_at) VALUES (:id, :n, 0, :u, :t)",
                {ws.id, ws.name, user_id, now});
        tx.Exec("INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES (:w, :u, 'owner', :t)",
                {ws.id, user_id, now});
        Record(tx, a, meta, now, published);
        return ws;
    });
}

Result<Workspace> WorkspaceService::Get(const std::string& user_id, const std::string& workspace_id) const {
    return db_.Read([&](db::Tx& tx) -> Result<Workspace> {
        auto r = tx.QueryOne(
            "SELECT w.id, w.name, w.personal, w.created_at, m.role FROM workspaces w JOIN memberships m ON "
            "m.workspace_id = w.id WHERE w.id = :w AND m.user_id = :u",
            {workspace_id, user_id});
        if (!r) return Error::NotFound("workspace");
        return WorkspaceFromRow(*r);
    });
}

Result<Role> WorkspaceService::Authorize(const std::string& user_id, const std::string& workspace_id, Role need) const {
    return db_.Read([&](db::Tx& tx) { return Authorize(tx, user_id, workspace_id, need); });
}

bool WorkspaceService::Exists(db::Tx& tx, const std::string& workspace_id) const {
    return tx.QueryOne("SELECT id FROM workspaces WHERE id = :w", {workspace_id}).has_value();
}

Result<Role> WorkspaceService::Authorize(db::Tx& tx, const std::string& user_id, const std::string& workspace_id,
                                         Role need) const {
    return Require(tx, user_id, workspace_id, need, "do this");
}

std::string WorkspaceService::RoleQuery(std::string_view workspace_expr, std::string_view user_param) {
    return fmt::format("(SELECT role FROM memberships WHERE workspace_id = {} AND user_id = {})", workspace_expr,
                       user_param);
}

Result<Page<Member>> WorkspaceService::Members(const std::string& user_id, const std::string& workspace_id, int limit,
                                               const std::string& cursor) const {
    limit = ClampLimit(limit);
    auto after = ParseCursor(cursor);
    if (!after.ok()) return after.error();
    return db_.Read([&](db::Tx& tx) -> Result<Page<Member>> {
        if (auto r = Require(tx, user_id, workspace_id, Role::kViewer, "see members"); !r) return r.error();
        auto rows = tx.Query(
            "SELECT m.user_id, u.email, u.name, m.role, m.created_at FROM memberships m JOIN users u ON u.id = "
            "m.user_id WHERE m.workspace_id = :w AND (m.created_at > :t OR (m.created_at = :t2 AND m.user_id > :id)) "
            "ORDER BY m.created_at, m.user_id LIMIT :l",
            {workspace_id, after->at, after->at, after->id, std::int64_t{limit + 1}});
        return MakePage<Member>(rows, limit, MemberFromRow,
                                [](const Member& m) { return std::make_pair(m.joined_at, m.user_id); });
    });
}

Result<Member> WorkspaceService::AddMember(const std::string& user_id, const std::string& workspace_id,
                                           const std::string& email, Role role, const RequestMeta& meta) {
    auto normal = NormaliseEmail(email);
    if (!normal) return Error::Invalid("bad e-mail", {{"email", "must be an e-mail address"}});
    Micros now = clock_.Now();
    return db::WriteAndPublish(db_, bus_, meta, [&](db::Tx& tx, db::PendingEvents& published) -> Result<Member> {
        auto mine = Require(tx, user_id, workspace_id, Role::kAdmin, "manage members");
        if (!mine) return mine.error();
        if (role == Role::kOwner && *mine != Role::kOwner) return Forbidden("make owners");
        auto target = tx.QueryOne("SELECT id FROM users WHERE email = :e", {*normal});
        if (!target)
            return Error::Make(ErrorCode::kNotFound, "user_not_found",
                               "no account has this e-mail; ask them to sign up");
        std::string member_id = target->Str(0);
        if (tx.Exec("INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES (:w, :u, :r, :t) "
                    "ON CONFLICT (workspace_id, user_id) DO NOTHING",
                    {workspace_id, member_id, std::string(RoleName(role)), now}) == 0)
            return Error::Make(ErrorCode::kConflict, "already_member", "this user is already a member");
        AuditEntry a{.workspace_id = workspace_id,
                     .user_id = member_id,
                     .actor_id = user_id,
                     .action = "workspace.member_added",
                     .details = std::string(RoleName(role))};
        Record(tx, a, meta, now, published);
        return *MemberOf(tx, workspace_id, member_id);
    });
}

Result<Member> WorkspaceService::ChangeRole(const std::string& user_id, const std::string& workspace_id,
                                            const std::string& member_id, Role role, const RequestMeta& meta) {
    Micros now = clock_.Now();
    return db::WriteAndPublish(db_, bus_, meta, [&](db::Tx& tx, db::PendingEvents& published) -> Result<Member> {
        auto mine = Require(tx, user_id, workspace_id, Role::kAdmin, "change roles");
        if (!mine) return mine.error();
        auto current = RoleIn(tx, member_id, workspace_id);
        if (!current) return Error::NotFound("member");
        // Only owners make or unmake owners.
        if ((role == Role::kOwner || *current == Role::kOwner) && *mine != Role::kOwner)
            return Forbidden("change an owner's role");
        if (*current == Role::kOwner && role != Role::kOwner && OwnerCount(tx, workspace_id) <= 1) return LastOwner();
        tx.Exec("UPDATE memberships SET role = :r WHERE workspace_id = :w AND user_id = :u",
                {std::string(RoleName(role)), workspace_id, member_id});
        AuditEntry a{.workspace_id = workspace_id,
                     .user_id = member_id,
                     .actor_id = user_id,
                     .action = "workspace.member_role_changed",
                     .details = fmt::format("{} -> {}", RoleName(*current), RoleName(role))};
        Record(tx, a, meta, now, published);
        return *MemberOf(tx, workspace_id, member_id);
    });
}

Result<void> WorkspaceService::RemoveMember(const std::string& user_id, const std::string& workspace_id,
                                            const std::string& member_id, const RequestMeta& meta) {
    Micros now = clock_.Now();
    return db::WriteAndPublish(db_, bus_, meta, [&](db::Tx& tx, db::PendingEvents& published) -> Result<void> {
        auto mine = RoleIn(tx, user_id, workspace_id);
        if (!mine) return Error::NotFound("workspace");
        bool leaving = member_id == user_id;
        if (!leaving && !RoleAtLeast(*mine, Role::kAdmin)) return Forbidden("remove members");
        auto current = RoleIn(tx, member_id, workspace_id);
        if (!current) return Error::NotFound("member");
        if (!leaving && *current == Role::kOwner && *mine != Role::kOwner) return Forbidden("remove an owner");
        if (*current == Role::kOwner && OwnerCount(tx, workspace_id) <= 1) return LastOwner();
        tx.Exec("DELETE FROM memberships WHERE workspace_id = :w AND user_id = :u", {workspace_id, member_id});
        AuditEntry a{.workspace_id = workspace_id,
                     .user_id = member_id,
                     .actor_id = user_id,
                     .action = leaving ? "workspace.member_left" : "workspace.member_removed"};
        Record(tx, a, meta, now, published);
        return Ok();
    });
}

Result<Page<AuditEntry>> WorkspaceService::AuditLog(const std::string& user_id, const std::string& workspace_id,
                                                    int limit, const std::string& cursor) const {
    limit = ClampLimit(limit);
    auto before = ParseCursor(cursor, true);
    if (!before.ok()) return before.error();
    return db_.Read([&](db::Tx& tx) -> Result<Page<AuditEntry>> {
        if (auto r = Require(tx, user_id, workspace_id, Role::kAdmin, "read the audit log"); !r) return r.error();
        // Newest first: the workspace's own events, and account security events of its current members.
        auto rows = tx.Query(
            "SELECT id, workspace_id, user_id, actor_id, action, ip, user_agent, details, request_id, created_at "
            "FROM audit_log a WHERE (a.workspace_id = :w OR (a.workspace_id IS NULL AND a.user_id IN "
            "(SELECT user_id FROM memberships WHERE workspace_id = :w2))) AND (a.created_at < :t OR "
            "(a.created_at = :t2 AND a.id < :id)) ORDER BY a.created_at DESC, a.id DESC LIMIT :l",
            {workspace_id, workspace_id, before->at, before->at, before->id, std::int64_t{limit + 1}});
        auto from_row = [](const db::Row& r) {
            return AuditEntry{r.Str(0),
                              r.OptStr(1).value_or(""),
                              r.OptStr(2).value_or(""),
                              r.OptStr(3).value_or(""),
                              r.Str(4),
                              r.Str(5),
                              r.Str(6),
                              r.Str(7),
                              r.Str(8),
                              r.Int(9)};
        };
        return MakePage<AuditEntry>(rows, limit, from_row,
                                    [](const AuditEntry& e) { return std::make_pair(e.created_at, e.id); });
    });
}

}  // namespace uxf::identity
