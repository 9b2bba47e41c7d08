// Field errors collected while reading or checking a flow, answered together: 400 `invalid_input` for rule
// errors, 422 `limit_exceeded` when only limits were passed. Shared by the document reader, the model's checks
// and the gateway's readers of request bodies that embed flows, nodes and edges.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "uxf/core/result.hpp"
#include "uxf/flows/input_rules.hpp"
#include "uxf/flows/settings.hpp"

namespace uxf::flows {

/// Where a field is: `nodes[3].label`, `operations[0].flow.name`. A chain of links to parents that live on the
/// caller's stack, written out only when an error names it, so reading a large flow builds no path strings.
/// Pass it down by reference; never keep one beyond the call that made it.
class Path {
  public:
    Path() = default;  ///< the document itself
    Path(const Path& parent, std::string_view key) : parent_(&parent), key_(key) {}
    Path(const Path& parent, std::size_t index) : parent_(&parent), index_(index) {}
    Path(const Path&) = delete;
    Path& operator=(const Path&) = delete;

    std::string str() const;

  private:
    const Path* parent_ = nullptr;
    std::string_view key_;  ///< empty: an array element at index_
    std::size_t index_ = 0;
};

class FieldErrors {
  public:
    explicit FieldErrors(const FlowSettings& limits) : limits_(limits) {}

    void Add(const Path& at, std::string message) { Add(at.str(), std::move(message)); }
    void Add(std::string field, std::string message) { errors_.push_back({std::move(field), std::move(message)}); }
    /// A limit passed (422 when nothing else is wrong).
    void Limit(const Path& at, std::string message) { limit_errors_.push_back({at.str(), std::move(message)}); }
    /// The length and character rules of a text field; false (with a field error) when it breaks one.
    bool Text(const Path& at, std::string_view s, std::size_t max_chars, TextKind kind);

    bool empty() const { return errors_.empty(); }
    const FlowSettings& limits() const { return limits_; }

    /// 400 with every rule error (titled `what`), else 422 with every limit passed, else ok.
    Result<void> Finish(std::string_view what = "the flow is not valid") const;

  protected:
    const FlowSettings& limits_;

  private:
    std::vector<FieldError> errors_, limit_errors_;
};

}  // namespace uxf::flows
