#include "stripe/form.hpp"

#include <cmath>
#include <stdexcept>
#include <string_view>

#include <boost/json.hpp>

#include "uxf/platform/json_text.hpp"

namespace uxf::billing::stripe {
namespace {

bool Literal(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == '~' || c == '[' || c == ']';
}

void AppendEncoded(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (unsigned char c : text) {
        if (Literal(c)) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0xF]);
        }
    }
}

// The text of a scalar as stripe-node's String(value) gives it.
std::string ScalarText(const boost::json::value& v) {
    switch (v.kind()) {
        case boost::json::kind::null:
            return {};
        case boost::json::kind::bool_:
            return v.get_bool() ? "true" : "false";
        case boost::json::kind::string:
            return std::string(v.get_string());
        case boost::json::kind::double_:
            if (!std::isfinite(v.get_double())) throw std::invalid_argument("FormEncode: a number that is not finite");
            [[fallthrough]];
        default:  // int64, uint64, double
            return json_text::Write(v);
    }
}

void Encode(std::string& out, const std::string& key, const boost::json::value& v) {
    if (const auto* object = v.if_object()) {
        for (const auto& member : *object) Encode(out, key + "[" + std::string(member.key()) + "]", member.value());
    } else if (const auto* array = v.if_array()) {
        for (std::size_t i = 0; i < array->size(); ++i) Encode(out, key + "[" + std::to_string(i) + "]", (*array)[i]);
    } else {
        if (!out.empty()) out.push_back('&');
        AppendEncoded(out, key);
        out.push_back('=');
        AppendEncoded(out, ScalarText(v));
    }
}

}  // namespace

std::string FormEncode(const boost::json::object& params) {
    std::string out;
    for (const auto& member : params) Encode(out, std::string(member.key()), member.value());
    return out;
}

}  // namespace uxf::billing::stripe
