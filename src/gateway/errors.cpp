#include "uxf/gateway/errors.hpp"
#include "uxf/platform/json_text.hpp"

#include <boost/json.hpp>

namespace uxf::gateway {
namespace {

struct Row {
    ErrorCode code;
    int status;
    const char* title;
};

constexpr Row kTable[] = {
    {ErrorCode::kInvalidInput, 400, "Bad Request"},
    {ErrorCode::kUnauthorized, 401, "Unauthorized"},
    {ErrorCode::kPaymentRequired, 402, "Payment Required"},
    {ErrorCode::kForbidden, 403, "Forbidden"},
    {ErrorCode::kNotFound, 404, "Not Found"},
    {ErrorCode::kMethodNotAllowed, 405, "Method Not Allowed"},
    {ErrorCode::kConflict, 409, "Conflict"},
    {ErrorCode::kPreconditionFailed, 412, "Precondition Failed"},
    {ErrorCode::kPayloadTooLarge, 413, "Content Too Large"},
    {ErrorCode::kUnsupportedMediaType, 415, "Unsupported Media Type"},
    {ErrorCode::kUnprocessable, 422, "Unprocessable Content"},
    {ErrorCode::kLimitExceeded, 422, "Unprocessable Content"},
    {ErrorCode::kLocked, 423, "Locked"},
    {ErrorCode::kPreconditionRequired, 428, "Precondition Required"},
    {ErrorCode::kRateLimited, 429, "Too Many Requests"},
    {ErrorCode::kHeadersTooLarge, 431, "Request Header Fields Too Large"},
    {ErrorCode::kBadGateway, 502, "Bad Gateway"},
    {ErrorCode::kUnavailable, 503, "Service Unavailable"},
    {ErrorCode::kInternal, 500, "Internal Server Error"},
};

const Row& RowFor(ErrorCode code) {
    for (const auto& r : kTable)
        if (r.code == code) return r;
    return kTable[std::size(kTable) - 1];
}

}  // namespace

int StatusFor(ErrorCode code) { return RowFor(code).status; }

Response ProblemResponse(const Error& error, std::string_view instance, std::string_view request_id) {
    const Row& row = RowFor(error.code);
    std::string slug = error.slug.empty() ? "error" : error.slug;
    boost::json::object body{{"type", "urn:uxflow:problem:" + slug},
                             {"title", row.title},
                             {"status", row.status},
                             {"detail", error.message},
                             {"instance", instance},
                             {"code", slug},
                             {"request_id", request_id}};
    if (!error.errors.empty()) {
        boost::json::array errors;
        for (const auto& f : error.errors) errors.push_back({{"field", f.field}, {"message", f.message}});
        body["errors"] = std::move(errors);
    }
    for (const auto& [name, value] : error.numbers) body[name] = value;
    Response r{row.status, "application/problem+json", json_text::Write(body), {}};
    if (error.retry_after_s) r.SetHeader("Retry-After", std::to_string(*error.retry_after_s));
    return r;
}

}  // namespace uxf::gateway
