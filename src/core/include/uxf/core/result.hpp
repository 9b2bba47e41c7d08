#pragma once
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace uxf {

/// The kinds of expected failure. The gateway maps each to one HTTP status in one table (gateway/errors.cpp).
enum class ErrorCode {
    kInvalidInput,          ///< malformed or semantically wrong input (400)
    kUnauthorized,          ///< missing or bad credentials (401)
    kPaymentRequired,       ///< not enough credits for the operation (402)
    kForbidden,             ///< authenticated but not allowed (403)
    kNotFound,              ///< no such resource, or not visible to the caller (404)
    kMethodNotAllowed,      ///< the path exists, the method does not (405)
    kConflict,              ///< state conflict such as a taken e-mail (409)
    kPreconditionFailed,    ///< stale If-Match (412)
    kPayloadTooLarge,       ///< body over the limit (413)
    kUnsupportedMediaType,  ///< a body in a format the endpoint does not take (415)
    kUnprocessable,         ///< well-formed but refused, e.g. a reused idempotency key (422)
    kLimitExceeded,         ///< a configured limit would be passed (422)
    kLocked,                ///< account temporarily locked (423)
    kPreconditionRequired,  ///< If-Match missing (428)
    kRateLimited,           ///< too many requests (429)
    kHeadersTooLarge,       ///< request headers over the limit (431)
    kBadGateway,            ///< a service we called answered with an error (502), e.g. Stripe refused a request
    kUnavailable,           ///< a dependency is down (503)
    kInternal,              ///< a bug; never for bad input (500)
};

/// One problem with one input field, reported in problem+json `errors[]`.
struct FieldError {
    std::string field;
    std::string message;
};

/// An expected failure: a kind, a stable machine-readable slug (`email_taken`) and a human message.
struct Error {
    ErrorCode code = ErrorCode::kInternal;
    std::string slug;
    std::string message;
    std::vector<FieldError> errors;
    std::optional<long long> retry_after_s;  ///< for 423/429: seconds until a retry can succeed
    /// Numbers the answer carries as members of its own (402 insufficient_credits: `balance`, `required`).
    std::vector<std::pair<std::string, long long>> numbers = {};

    static Error Invalid(std::string message, std::vector<FieldError> errors = {}) {
        return {ErrorCode::kInvalidInput, "invalid_input", std::move(message), std::move(errors), {}};
    }
    static Error NotFound(std::string what = "resource") {
        return {ErrorCode::kNotFound, "not_found", "the " + what + " does not exist", {}, {}};
    }
    static Error Make(ErrorCode code, std::string slug, std::string message) {
        return {code, std::move(slug), std::move(message), {}, {}};
    }
};

/// `expected`-like result of a service call: a value or an `Error`.
template <class T>
class [[nodiscard]] Result {
  public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    const Error& error() const& { return std::get<1>(v_); }
    Error&& error() && { return std::get<1>(std::move(v_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(value()); }

  private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
  public:
    Result() = default;
    Result(Error error) : error_(std::move(error)) {}

    bool ok() const { return !error_; }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return *error_; }

  private:
    std::optional<Error> error_;
};

inline Result<void> Ok() { return {}; }

}  // namespace uxf
