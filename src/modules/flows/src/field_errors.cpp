#include "uxf/flows/field_errors.hpp"

#include <fmt/format.h>

namespace uxf::flows {

std::string Path::str() const {
    std::string out = parent_ ? parent_->str() : std::string();
    if (!key_.empty()) {
        if (!out.empty()) out += '.';
        out += key_;
    } else if (parent_) {
        out += fmt::format("[{}]", index_);
    }
    return out;
}

bool FieldErrors::Text(const Path& at, std::string_view s, std::size_t max_chars, TextKind kind) {
    if (Utf8Chars(s) > max_chars) {
        Add(at, fmt::format("must be at most {} characters", max_chars));
        return false;
    }
    if (auto problem = TextProblem(s, kind)) {
        Add(at, *problem);
        return false;
    }
    return true;
}

Result<void> FieldErrors::Finish(std::string_view what) const {
    if (!errors_.empty()) return Error::Invalid(std::string(what), errors_);
    if (!limit_errors_.empty()) {
        Error e = Error::Make(ErrorCode::kLimitExceeded, "limit_exceeded",
                              "the flow is larger than allowed: " + limit_errors_.front().message);
        e.errors = limit_errors_;
        return e;
    }
    return Ok();
}

}  // namespace uxf::flows
