// JSON read with exact numbers: Boost.JSON's parser, whose events build the DOM through its public value_stack (as
// its own parser does), except that a number with a fraction or exponent is read again from its text with
// std::from_chars, which rounds correctly. Boost.JSON 1.81 reads some long numbers off by an ulp, so text written
// with the shortest round-trip form did not always read back to the value it was written from.
#include <charconv>
#include <cmath>
#include <string>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

#include "uxf/platform/json_text.hpp"

namespace uxf::json_text {
namespace {

namespace json = boost::json;
using json::error_code;
using json::string_view;

struct ExactHandler {
    static constexpr std::size_t max_object_size = json::object::max_size();
    static constexpr std::size_t max_array_size = json::array::max_size();
    static constexpr std::size_t max_key_size = json::string::max_size();
    static constexpr std::size_t max_string_size = json::string::max_size();

    json::value_stack st;
    std::string number;  ///< the parts of a number split across input pieces

    bool on_document_begin(error_code&) { return true; }
    bool on_document_end(error_code&) { return true; }
    bool on_object_begin(error_code&) { return true; }
    bool on_object_end(std::size_t n, error_code&) {
        st.push_object(n);
        return true;
    }
    bool on_array_begin(error_code&) { return true; }
    bool on_array_end(std::size_t n, error_code&) {
        st.push_array(n);
        return true;
    }
    bool on_key_part(string_view s, std::size_t, error_code&) {
        st.push_chars(s);
        return true;
    }
    bool on_key(string_view s, std::size_t, error_code&) {
        st.push_key(s);
        return true;
    }
    bool on_string_part(string_view s, std::size_t, error_code&) {
        st.push_chars(s);
        return true;
    }
    bool on_string(string_view s, std::size_t, error_code&) {
        st.push_string(s);
        return true;
    }
    bool on_number_part(string_view s, error_code&) {
        number.append(s.data(), s.size());
        return true;
    }
    // The whole text of the number ending with `s`.
    std::string_view Text(string_view s) {
        if (number.empty()) return {s.data(), s.size()};
        number.append(s.data(), s.size());
        return number;
    }
    bool on_int64(std::int64_t i, string_view s, error_code&) {
        if (i == 0 && Text(s).starts_with('-'))
            st.push_double(-0.0);  // "-0" is negative zero, as written; not the integer 0
        else
            st.push_int64(i);
        number.clear();
        return true;
    }
    bool on_uint64(std::uint64_t u, string_view, error_code&) {
        st.push_uint64(u);
        number.clear();
        return true;
    }
    bool on_double(double d, string_view s, error_code&) {
        std::string_view text = Text(s);
        double exact = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), exact);
        // Out of range (1e999, 1e-999): keep what Boost read (infinity or zero), as before.
        st.push_double(ec == std::errc() && end == text.data() + text.size() ? exact : d);
        number.clear();
        return true;
    }
    bool on_bool(bool b, error_code&) {
        st.push_bool(b);
        return true;
    }
    bool on_null(error_code&) {
        st.push_null();
        return true;
    }
    bool on_comment_part(string_view, error_code&) { return true; }
    bool on_comment(string_view, error_code&) { return true; }
};

}  // namespace

boost::json::value Parse(std::string_view text, boost::system::error_code& ec, const boost::json::storage_ptr& sp) {
    json::basic_parser<ExactHandler> p(json::parse_options{});
    p.handler().st.reset(sp);
    std::size_t used = p.write_some(false, text.data(), text.size(), ec);  // a value and the whitespace after it
    if (!ec && used < text.size()) ec = json::error::extra_data;
    if (!ec && !p.done()) ec = json::error::incomplete;
    if (ec) return nullptr;
    return p.handler().st.release();
}

boost::json::value Parse(std::string_view text, boost::system::error_code& ec) { return Parse(text, ec, {}); }

}  // namespace uxf::json_text
