#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "uxf/core/clock.hpp"
#include "uxf/core/pagination.hpp"

namespace uxf::identity {

/// Workspace roles, strongest first. Viewers read; editors write content; admins manage members and billing;
/// owners everything.
enum class Role { kOwner, kAdmin, kEditor, kViewer };
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
/// True when `have` grants at least what `need` does.
bool RoleAtLeast(Role have, Role need);

struct User {
    std::string id;
    std::string email;
    std::string name;
    bool mfa_enabled = false;
    Micros created_at = 0;
};

struct Workspace {
    std::string id;
    std::string name;
    bool personal = false;
    Micros created_at = 0;
    Role role = Role::kViewer;  ///< the caller's role in it
};

struct Member {
    std::string user_id;
    std::string email;
    std::string name;
    Role role = Role::kViewer;
    Micros joined_at = 0;
};

struct TokenPair {
    std::string access_token;
    std::string refresh_token;
    long long expires_in = 0;  ///< seconds until the access token expires
};

/// What register and login return.
struct AuthResult {
    User user;
    std::optional<Workspace> workspace;  ///< the personal workspace, on register
    TokenPair tokens;
};

/// A user with their workspaces and roles.
struct Profile {
    User user;
    std::vector<Workspace> workspaces;
};

/// A refresh-token family: one signed-in device or client.
struct Session {
    std::string id;
    Micros created_at = 0;
    Micros last_used_at = 0;
    Micros expires_at = 0;
    std::string ip;
    std::string user_agent;
    bool current = false;
};

/// Verified claims of an access token.
struct AccessClaims {
    std::string user_id;
    std::string session_id;
    std::string token_id;
    Micros expires_at = 0;
};

struct AuditEntry {
    std::string id;
    std::string workspace_id;
    std::string user_id;   ///< whom it concerns
    std::string actor_id;  ///< who did it (empty: anonymous)
    std::string action;    ///< `auth.login_failed`, `workspace.member_role_changed` ...
    std::string ip;
    std::string user_agent;
    std::string details;
    std::string request_id;
    Micros created_at = 0;
};

using uxf::Page;

struct TotpSetup {
    std::string secret;       ///< base32, for manual entry
    std::string otpauth_uri;  ///< for QR codes
};

}  // namespace uxf::identity
