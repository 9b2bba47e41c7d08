// Wire JSON helpers for route handlers: request body parsing with field errors, and JSON responses.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "uxf/core/result.hpp"
#include "uxf/gateway/http.hpp"
#include "uxf/gateway/router.hpp"
#include "uxf/platform/json_text.hpp"

namespace uxf::gateway {

/// 415 when a request carries a body with a Content-Type other than application/json (or application/*+json) or
/// one of `also` (a route's raw upload types). The dispatcher applies it to every route before the handler runs.
Result<void> CheckJsonBody(const Request& req, const std::vector<std::string>& also = {});
/// The media type of a Content-Type value, lower-cased, without parameters ("text/html; charset=utf-8" -> "text/html").
std::string MediaType(std::string_view content_type);

/// The request body as a JSON object; 400 `invalid_json` when it is not one. An empty body is `{}`.
Result<boost::json::object> ParseObject(const Request& req);
/// The same for body text, its DOM's memory from `sp` (a monotonic_resource for a body read once).
Result<boost::json::object> ParseObject(std::string_view body, const boost::json::storage_ptr& sp);

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

/// The handler steps every route file shares. WithBody parses the body as an object, reads fields with `read`
/// (Fields&) -> command, and calls `act(command)` when every field is right; otherwise answers 400 with all
/// field errors.
template <class Read, class Act>
Response WithBody(Ctx& ctx, Read read, Act act) {
    auto obj = ParseObject(ctx.req);
    if (!obj.ok()) return ctx.Fail(obj.error());
    Fields f(*obj);
    auto cmd = read(f);
    if (auto ok = f.Check(); !ok.ok()) return ctx.Fail(ok.error());
    return act(cmd);
}

/// A result without a body: 204 (or `status` with `{}`), or the error's problem answer.
Response ReplyEmpty(Ctx& ctx, const Result<void>& r, int status = 204);

/// Every list answers in one shape: `{"items":[...],"next_cursor":"..."}`, next_cursor null on the last page.
/// `item(x)` writes one item as JSON text; `items` is any range of them.
template <class Items, class ItemJson>
Response ListResponse(const Items& items, const std::string& next_cursor, ItemJson item) {
    std::string out = "{\"items\":[";
    bool first = true;
    for (const auto& x : items) {
        if (!first) out += ',';
        first = false;
        out += item(x);
    }
    out += "],\"next_cursor\":";
    if (next_cursor.empty())
        out += "null";
    else
        json_text::AppendString(out, next_cursor);
    out += '}';
    return {200, "application/json", std::move(out), {}};
}

/// A page of a cursor-paginated list (identity::Page and the like).
template <class PageT, class ItemJson>
Response PageResponse(const PageT& page, ItemJson item) {
    return ListResponse(page.items, page.next_cursor, item);
}
Response NoContent();

/// `limit` (default 50, 1..200) from the query string.
Result<int> LimitParam(const Request& req);

}  // namespace uxf::gateway
