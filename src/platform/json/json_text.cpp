#include "uxf/platform/json_text.hpp"

#include <charconv>
#include <cmath>

#include <boost/json.hpp>

#include "uxf/core/log.hpp"

namespace uxf::json_text {
namespace {

template <class Number>
void AppendDigits(std::string& out, Number n) {
    char buf[32];
    auto end = std::to_chars(buf, buf + sizeof buf, n).ptr;
    out.append(buf, end);
}

}  // namespace

void AppendString(std::string& out, std::string_view s) {
    out += '"';
    AppendJsonEscaped(out, s);  // the logger's escaping: quote, backslash and control characters
    out += '"';
}

void AppendNumber(std::string& out, double d) {
    if (!std::isfinite(d)) {  // JSON has no NaN or infinity; parsing never makes them
        out += "null";
        return;
    }
    AppendDigits(out, d);
}

void AppendNumber(std::string& out, std::int64_t n) { AppendDigits(out, n); }

void Append(std::string& out, const boost::json::value& v) {
    switch (v.kind()) {
        case boost::json::kind::null:
            out += "null";
            break;
        case boost::json::kind::bool_:
            out += v.get_bool() ? "true" : "false";
            break;
        case boost::json::kind::int64:
            AppendDigits(out, v.get_int64());
            break;
        case boost::json::kind::uint64:
            AppendDigits(out, v.get_uint64());
            break;
        case boost::json::kind::double_:
            AppendNumber(out, v.get_double());
            break;
        case boost::json::kind::string:
            AppendString(out, v.get_string());
            break;
        case boost::json::kind::array: {
            out += '[';
            bool first = true;
            for (const auto& item : v.get_array()) {
                if (!first) out += ',';
                first = false;
                Append(out, item);
            }
            out += ']';
            break;
        }
        case boost::json::kind::object: {
            out += '{';
            bool first = true;
            for (const auto& [key, item] : v.get_object()) {
                if (!first) out += ',';
                first = false;
                AppendString(out, key);
                out += ':';
                Append(out, item);
            }
            out += '}';
            break;
        }
    }
}

std::string Write(const boost::json::value& value) {
    std::string out;
    Append(out, value);
    return out;
}

}  // namespace uxf::json_text
