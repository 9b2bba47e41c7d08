// The answer to a request under an Idempotency-Key, stored in the same transaction as the write it answers.
#pragma once
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <typeinfo>

#include "uxf/core/context.hpp"
#include "uxf/gateway/http.hpp"
#include "uxf/gateway/router.hpp"
#include "uxf/platform/idempotency.hpp"

namespace uxf::gateway {

/// Set on the request's Ctx by the dispatcher. A handler that calls a service write through Answer() makes it the
/// write's Completion: the unit of work renders the answer and stores it under the key before it commits. Then a
/// crash between commit and reply cannot make the retry write twice: the retry finds the stored answer.
class IdempotentAnswer final : public Completion {
  public:
    IdempotentAnswer(idempotency::Store& store, std::string scope, std::string key)
        : store_(store), scope_(std::move(scope)), key_(std::move(key)) {}

    using Render = std::function<Response(const std::type_info&, const void*)>;
    void SetRender(Render render) { render_ = std::move(render); }

    void Complete(db::Tx& tx, const std::type_info& type, const void* value) override {
        if (!render_) return;
        pending_ = render_(type, value);
        store_.Finish(tx, scope_, key_, ToStored(*pending_));
    }

    /// Called by Answer() with the service's outcome: the stored answer counts only if the write committed.
    void Settle(bool committed) {
        committed_ = committed && pending_.has_value();
        if (!committed_) pending_.reset();
    }
    /// The answer that committed with the write, if any.
    const std::optional<Response>& committed_answer() const { return pending_; }
    bool committed() const { return committed_; }

    /// What is stored of a response to replay it: status, type, body and the headers that describe the result.
    static idempotency::StoredResponse ToStored(const Response& r) {
        std::string headers;
        for (const char* name : {"Location", "ETag", "Content-Disposition"})
            if (auto v = r.Header(name); !v.empty()) headers += std::string(name) + ": " + std::string(v) + "\n";
        return {r.status, r.content_type, headers, std::string(r.Body())};
    }

  private:
    idempotency::Store& store_;
    std::string scope_, key_;
    Render render_;
    std::optional<Response> pending_;
    bool committed_ = false;
};

/// Calls a service write `call(meta) -> Result<T>` whose answer is `render(value, committed)`. Under an
/// Idempotency-Key the answer is rendered (with committed = false: nothing may be cached yet) and stored inside
/// the write's own transaction; otherwise it is rendered after the call (committed = true).
template <class T, class Call, class Render>
Response Answer(Ctx& ctx, Call&& call, Render&& render) {
    if (!ctx.answer) {
        auto r = call(ctx.meta);
        return r.ok() ? render(*r, true) : ctx.Fail(r.error());
    }
    ctx.answer->SetRender([&](const std::type_info& type, const void* value) -> Response {
        if (type != typeid(T)) throw std::logic_error("idempotent answer rendered from an unexpected result type");
        return render(*static_cast<const T*>(value), false);
    });
    RequestMeta meta = ctx.meta;
    meta.completion = ctx.answer;
    auto r = call(std::as_const(meta));
    ctx.answer->Settle(r.ok());
    if (!r.ok()) return ctx.Fail(r.error());
    if (ctx.answer->committed()) return *ctx.answer->committed_answer();
    return render(*r, true);
}

}  // namespace uxf::gateway
