#include "json_io.hpp"

#include "uxf/core/strings.hpp"
#include "uxf/platform/json_text.hpp"

#include <algorithm>
#include <charconv>

#include <boost/json.hpp>

namespace uxf::gateway {

std::string MediaType(std::string_view content_type) {
    return ToLower(Trim(content_type.substr(0, content_type.find(';'))));
}

Result<void> CheckJsonBody(const Request& req, const std::vector<std::string>& also) {
    std::string_view ct = req.Header("Content-Type");
    if (req.body.empty() || ct.empty()) return Ok();
    std::string type = MediaType(ct);
    if (type == "application/json" || (type.starts_with("application/") && type.ends_with("+json"))) return Ok();
    if (std::find(also.begin(), also.end(), type) != also.end()) return Ok();
    std::string accepted = "application/json";
    for (const auto& t : also) accepted += ", " + t;
    return Error::Make(ErrorCode::kUnsupportedMediaType, "unsupported_media_type",
                       "this endpoint takes Content-Type: " + accepted);
}

Result<boost::json::object> ParseObject(const Request& req) { return ParseObject(req.body, {}); }

Result<boost::json::object> ParseObject(std::string_view body, const boost::json::storage_ptr& sp) {
    boost::system::error_code ec;
    boost::json::value v = json_text::Parse(body.empty() ? std::string_view("{}") : body, ec, sp);
    if (ec) return Error::Make(ErrorCode::kInvalidInput, "invalid_json", "the body is not valid JSON: " + ec.message());
    if (!v.is_object()) return Error::Make(ErrorCode::kInvalidInput, "invalid_json", "the body must be a JSON object");
    return std::move(v.as_object());
}

std::string Fields::Str(const char* name, bool required, std::size_t max_len) {
    auto it = obj_.find(name);
    if (it == obj_.end() || it->value().is_null()) {
        if (required) errors_.push_back({name, "is required"});
        return {};
    }
    if (!it->value().is_string()) {
        errors_.push_back({name, "must be a string"});
        return {};
    }
    const auto& s = it->value().get_string();
    if (s.size() > max_len) {
        errors_.push_back({name, "is too long (at most " + std::to_string(max_len) + " bytes)"});
        return {};
    }
    return std::string(s);
}

std::optional<std::int64_t> Fields::Int(const char* name, bool required) {
    auto it = obj_.find(name);
    if (it == obj_.end() || it->value().is_null()) {
        if (required) errors_.push_back({name, "is required"});
        return std::nullopt;
    }
    if (it->value().is_int64()) return it->value().get_int64();
    if (it->value().is_uint64() && it->value().get_uint64() <= INT64_MAX)
        return static_cast<std::int64_t>(it->value().get_uint64());
    errors_.push_back({name, "must be an integer"});
    return std::nullopt;
}

Result<void> Fields::Check() const {
    if (errors_.empty()) return Ok();
    return Error::Invalid("some fields are not valid", errors_);
}

Response JsonResponse(int status, const boost::json::value& body) {
    return {status, "application/json", json_text::Write(body), {}};
}

Response NoContent() { return {204, "", "", {}}; }

Response ReplyEmpty(Ctx& ctx, const Result<void>& r, int status) {
    if (!r.ok()) return ctx.Fail(r.error());
    return status == 204 ? NoContent() : Response{status, "application/json", "{}", {}};
}

Result<int> LimitParam(const Request& req) {
    std::string text = req.Query("limit");
    if (text.empty()) return 50;
    int limit = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
    if (ec != std::errc() || p != text.data() + text.size() || limit < 1 || limit > 200)
        return Error::Invalid("bad limit", {{"limit", "must be an integer from 1 to 200"}});
    return limit;
}

}  // namespace uxf::gateway
