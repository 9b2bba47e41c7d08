// Field errors collected while checking a flow, answered together: 400 `invalid_input` for rule errors, 422
// `limit_exceeded` when only limits were passed. Shared by the document reader and the model's checks.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "input_rules.hpp"
#include "uxf/core/result.hpp"
#include "uxf/flows/settings.hpp"

namespace uxf::flows {

class Problems {
  public:
    explicit Problems(const FlowSettings& limits) : limits_(limits) {}

    void Add(std::string field, std::string message) { errors_.push_back({std::move(field), std::move(message)}); }
    void Limit(std::string field, std::string message) {
        limit_errors_.push_back({std::move(field), std::move(message)});
    }
    // The length and character rules of a text field; false (with a field error) when it breaks one.
    bool Text(const std::string& path, std::string_view s, std::size_t max_chars, TextKind kind) {
        if (Utf8Chars(s) > max_chars) {
            Add(path, fmt::format("must be at most {} characters", max_chars));
            return false;
        }
        if (auto problem = TextProblem(s, kind)) {
            Add(path, *problem);
            return false;
        }
        return true;
    }

    bool empty() const { return errors_.empty(); }

    Result<void> Finish() const {
        if (!errors_.empty()) return Error::Invalid("the flow is not valid", errors_);
        if (!limit_errors_.empty()) {
            Error e = Error::Make(ErrorCode::kLimitExceeded, "limit_exceeded",
                                  "the flow is larger than allowed: " + limit_errors_.front().message);
            e.errors = limit_errors_;
            return e;
        }
        return Ok();
    }

  protected:
    const FlowSettings& limits_;

  private:
    std::vector<FieldError> errors_, limit_errors_;
};

}  // namespace uxf::flows
