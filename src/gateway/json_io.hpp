// Wire JSON helpers for route handlers: request body parsing with field errors, and JSON responses.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "uxf/core/result.hpp"
#include "uxf/gateway/http.hpp"

namespace uxf::gateway {

/// 415 when a request carries a body with a Content-Type other than application/json (or application/*+json).
/// The dispatcher applies it to every route before the handler runs.
Result<void> CheckJsonBody(const Request& req);

/// The request body as a JSON object; 400 `invalid_json` when it is not one.
Result<boost::json::object> ParseObject(const Request& req);

/// Reads typed fields from a JSON object, collecting every problem before answering.
class Fields {
  public:
    explicit Fields(const boost::json::object& obj) : obj_(obj) {}
    /// A string field; "" when absent (an error when required) or of the wrong type.
    std::string Str(const char* name, bool required, std::size_t max_len = 1024);
    std::optional<std::int64_t> Int(const char* name, bool required);
    /// 400 with all collected field errors, or ok.
    Result<void> Check() const;

  private:
    const boost::json::object& obj_;
    std::vector<FieldError> errors_;
};

Response JsonResponse(int status, const boost::json::value& body);
Response NoContent();

/// `limit` (default 50, 1..200) from the query string.
Result<int> LimitParam(const Request& req);

}  // namespace uxf::gateway
