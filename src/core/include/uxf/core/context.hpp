#pragma once
#include <string>
#include <typeinfo>

namespace uxf::db {
class Tx;
}

namespace uxf {

/// Finishes a request inside the transaction that serves it. The gateway sets one for a request that carries an
/// `Idempotency-Key`: the unit of work calls it after its step succeeded and before commit, so the stored answer
/// commits with the write it describes, or not at all.
class Completion {
  public:
    virtual ~Completion() = default;
    /// `value` is the successful result of the unit of work, of dynamic type `type` (nullptr for void).
    virtual void Complete(db::Tx& tx, const std::type_info& type, const void* value) = 0;
};

/// Who is asking and from where: passed by the gateway into every service call, so services can audit,
/// rate-limit and tag events with the request's correlation id without knowing HTTP.
struct RequestMeta {
    std::string request_id;  ///< correlation id, echoed in X-Request-Id and carried by events
    std::string ip;
    std::string user_agent;
    std::string user_id;               ///< empty when unauthenticated
    Completion* completion = nullptr;  ///< see Completion; null for most requests
    /// The request's `Idempotency-Key` with its scope (empty without one): a service that calls another service
    /// which takes such keys too (Stripe) derives its key from it, so a retry after a crash repeats nothing there.
    std::string idempotency_key;
};

}  // namespace uxf
