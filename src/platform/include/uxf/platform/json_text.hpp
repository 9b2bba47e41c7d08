// JSON text as people and other JSON libraries write it. Boost.JSON's own serializer writes every double in
// scientific form (1.29 becomes 1.29E0, 100.0 becomes 1E2): valid JSON, but not what a user sent, and noisy in
// every answer and export. All JSON the server writes goes through Write.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace boost::json {
class value;
}

namespace uxf::json_text {

/// Compact JSON: numbers in their shortest form that reads back to the same value (1.29, 100, 0.5, 1e+300),
/// strings escaped per RFC 8259 (quote, backslash and control characters; everything else as UTF-8), keys in
/// their stored order.
std::string Write(const boost::json::value& value);
void Append(std::string& out, const boost::json::value& value);
/// Pieces for writers that stream JSON straight from their own types (no DOM): a quoted, escaped string; a number.
void AppendString(std::string& out, std::string_view s);
void AppendNumber(std::string& out, double d);
void AppendNumber(std::string& out, std::int64_t n);

}  // namespace uxf::json_text
