// The audit log of security events, shared by the modules: an entry is written in the caller's transaction, so it
// commits with what it records (a sign-in, a role change, credits granted by an operator).
#pragma once
#include "uxf/core/clock.hpp"
#include "uxf/core/context.hpp"
#include "uxf/identity/types.hpp"
#include "uxf/platform/database.hpp"

namespace uxf::identity {

/// Appends an audit entry inside the caller's transaction (`id` and `created_at` are set here).
void WriteAudit(db::Tx& tx, AuditEntry entry, const RequestMeta& meta, Micros now);

}  // namespace uxf::identity
