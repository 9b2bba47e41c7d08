#pragma once
#include <string_view>

#include "uxf/core/result.hpp"
#include "uxf/gateway/http.hpp"

namespace uxf::gateway {

/// The one table from ErrorCode to HTTP status.
int StatusFor(ErrorCode code);

/// RFC 9457 problem+json: type, title, status, detail, instance, code, request_id and errors[] for fields.
/// Sets Retry-After when the error carries one.
Response ProblemResponse(const Error& error, std::string_view instance, std::string_view request_id);

}  // namespace uxf::gateway
