#pragma once
#include <functional>

#include "uxf/gateway/router.hpp"

namespace uxf::identity {
class AuthService;
class WorkspaceService;
}  // namespace uxf::identity
namespace uxf::flows {
class FlowService;
}
namespace uxf::knowledge {
class KnowledgeService;
}
namespace uxf::billing {
class Ledger;
class BillingService;
}  // namespace uxf::billing
namespace uxf::ai {
class GenerationService;
}
namespace uxf::metrics {
class Registry;
}

namespace uxf::gateway {

/// Health, readiness, metrics and the OpenAPI document.
struct ServiceDeps {
    std::function<bool()> ready;  ///< database (and Redis) answer
    metrics::Registry& metrics;
};
void AddServiceRoutes(Router& router, ServiceDeps deps);

/// /v1/auth/*, /v1/me, /v1/workspaces/* (docs/api.md, Auth, Me and Workspaces).
void AddIdentityRoutes(Router& router, identity::AuthService& auth, identity::WorkspaceService& workspaces);

/// /v1/workspaces/{ws}/flows, /v1/flows/* (docs/api.md, Flows).
void AddFlowRoutes(Router& router, flows::FlowService& flows);

/// /v1/workspaces/{ws}/knowledge/* (docs/api.md, Knowledge).
void AddKnowledgeRoutes(Router& router, knowledge::KnowledgeService& knowledge);

/// /v1/patterns, /v1/patterns/{id}: the built-in UX pattern library (docs/api.md, Knowledge).
void AddPatternRoutes(Router& router, knowledge::KnowledgeService& knowledge);

/// /v1/workspaces/{ws}/billing/* and Stripe's webhook (docs/api.md, Billing).
void AddBillingRoutes(Router& router, billing::Ledger& ledger, billing::BillingService& billing,
                      const identity::WorkspaceService& workspaces);

/// /v1/workspaces/{ws}/generations, /v1/generations/*, /v1/flows/{id}/messages, /v1/ai/providers (docs/api.md,
/// AI generation and chat). At most `max_waiting` requests wait for a generation at once (`?wait=true`): each holds
/// a handler thread; beyond that they answer 202 at once.
void AddAiRoutes(Router& router, ai::GenerationService& generations, std::size_t max_waiting);

/// The served OpenAPI 3.1 document (embedded from gateway/openapi.json).
std::string_view OpenApiDocument();

}  // namespace uxf::gateway
