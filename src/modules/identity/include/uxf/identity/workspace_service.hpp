#pragma once
#include <string>
#include <string_view>

#include "uxf/core/context.hpp"
#include "uxf/core/result.hpp"
#include "uxf/identity/types.hpp"

namespace uxf::db {
class Database;
class Tx;
}  // namespace uxf::db
namespace uxf::events {
class EventBus;
}

namespace uxf::identity {

/// Workspaces, members and roles, and the workspace audit log. Anything in a workspace the caller is not a
/// member of answers `not_found`, never `forbidden`, so existence does not leak.
class WorkspaceService {
  public:
    WorkspaceService(db::Database& db, events::EventBus& bus, const Clock& clock);

    Result<Page<Workspace>> List(const std::string& user_id, int limit, const std::string& cursor) const;
    Result<Workspace> Create(const std::string& user_id, const std::string& name, const RequestMeta& meta);
    Result<Workspace> Get(const std::string& user_id, const std::string& workspace_id) const;

    /// The caller's role: `not_found` for a non-member, `forbidden` when below `need`. For other modules.
    Result<Role> Authorize(const std::string& user_id, const std::string& workspace_id, Role need) const;
    /// The same check inside the caller's transaction, so a module's call loads, authorizes and writes in one unit.
    Result<Role> Authorize(db::Tx& tx, const std::string& user_id, const std::string& workspace_id, Role need) const;
    /// Whether the workspace exists (operators' tools, which act on any workspace).
    bool Exists(db::Tx& tx, const std::string& workspace_id) const;
    /// SQL for a scalar subquery giving the role of the user bound to `user_param` (":u") in the workspace named by
    /// `workspace_expr` (a column such as "f.workspace_id"), NULL for a non-member: lets a module read a row and
    /// its caller's role in one statement. Interpret the value with ParseRole and RoleAtLeast.
    static std::string RoleQuery(std::string_view workspace_expr, std::string_view user_param);

    Result<Page<Member>> Members(const std::string& user_id, const std::string& workspace_id, int limit,
                                 const std::string& cursor) const;
    Result<Member> AddMember(const std::string& user_id, const std::string& workspace_id, const std::string& email,
                             Role role, const RequestMeta& meta);
    Result<Member> ChangeRole(const std::string& user_id, const std::string& workspace_id, const std::string& member_id,
                              Role role, const RequestMeta& meta);
    /// Removes a member, or lets a member leave; the last owner can do neither.
    Result<void> RemoveMember(const std::string& user_id, const std::string& workspace_id, const std::string& member_id,
                              const RequestMeta& meta);

    /// Security and admin events of the workspace and of its members' accounts (owners and admins only).
    Result<Page<AuditEntry>> AuditLog(const std::string& user_id, const std::string& workspace_id, int limit,
                                      const std::string& cursor) const;

  private:
    db::Database& db_;
    events::EventBus& bus_;
    const Clock& clock_;
};

}  // namespace uxf::identity
