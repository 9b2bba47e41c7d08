// JSON text as people and other JSON libraries write it. Boost.JSON's own serializer writes every double in
// scientific form (1.29 becomes 1.29E0, 100.0 becomes 1E2): valid JSON, but not what a user sent, and noisy in
// every answer and export. All JSON the server writes goes through Write.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/system/error_code.hpp>

namespace boost::json {
class value;
class storage_ptr;
}  // namespace boost::json

namespace uxf::json_text {

/// Compact JSON: numbers in their shortest form that reads back to the same value (1.29, 100, 0.5, 1e+300),
/// strings escaped per RFC 8259 (quote, backslash and control characters; everything else as UTF-8), keys in
/// their stored order.
std::string Write(const boost::json::value& value);
void Append(std::string& out, const boost::json::value& value);
/// Reads JSON text (RFC 8259; nesting up to Boost.JSON's default depth of 32). Numbers are read exactly: what Write
/// wrote reads back to the same value, so Write(Parse(Write(v))) == Write(v). "-0" is a double (negative zero).
/// On a syntax error `ec` is set and the result is null. The DOM's memory comes from `sp` (e.g. a
/// boost::json::monotonic_resource for a document read once and dropped: no malloc or free per element).
boost::json::value Parse(std::string_view text, boost::system::error_code& ec, const boost::json::storage_ptr& sp);
boost::json::value Parse(std::string_view text, boost::system::error_code& ec);
/// Pieces for writers that stream JSON straight from their own types (no DOM): a quoted, escaped string; a number.
void AppendString(std::string& out, std::string_view s);
void AppendNumber(std::string& out, double d);
void AppendNumber(std::string& out, std::int64_t n);

}  // namespace uxf::json_text
