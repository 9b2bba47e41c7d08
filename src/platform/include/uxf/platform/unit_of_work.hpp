// The write pattern every module follows: one transaction per service call that loads, authorizes, writes and
// records its events; the events are published only after commit, and the request's Idempotency-Key answer (if
// any) is stored in the same transaction.
#pragma once
#include <type_traits>
#include <utility>
#include <vector>

#include "uxf/core/context.hpp"
#include "uxf/platform/database.hpp"
#include "uxf/platform/events.hpp"

namespace uxf::db {

/// Events recorded by a unit of work, to publish once it committed.
using PendingEvents = std::vector<events::Event>;

/// Runs `step(tx, pending)` in a write transaction and returns its result (a `Result<T>`). When the result is an
/// error, the transaction rolls back and nothing is published. When it succeeds, `meta.completion` (if set) is
/// completed inside the transaction, the transaction commits and the pending events are published in order. A
/// retried transaction (busy, serialization failure) starts with no pending events.
template <class Step>
auto WriteAndPublish(Database& db, events::EventBus& bus, const RequestMeta& meta, Step&& step)
    -> std::invoke_result_t<Step, Tx&, PendingEvents&> {
    PendingEvents pending;
    auto result = db.Write([&](Tx& tx) {
        pending.clear();
        auto r = step(tx, pending);
        if (meta.completion && r.ok()) {
            if constexpr (requires { r.value(); })
                meta.completion->Complete(tx, typeid(r.value()), &r.value());
            else
                meta.completion->Complete(tx, typeid(void), nullptr);
        }
        return r;
    });
    if (result.ok())
        for (const auto& e : pending) bus.Publish(e);
    return result;
}

}  // namespace uxf::db
