#include "uxf/gateway/http.hpp"

#include <strings.h>

namespace uxf::gateway {
namespace {

bool EqualsNoCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool PercentDecode(std::string_view in, std::string& out, bool plus_is_space) {
    out.clear();
    for (std::size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == '%') {
            if (i + 2 >= in.size()) return false;
            int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
            if (hi < 0 || lo < 0) return false;
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return true;
}

}  // namespace

std::string_view Request::Header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (EqualsNoCase(k, name)) return v;
    return {};
}

void Response::SetHeader(std::string name, std::string value) {
    for (auto& [k, v] : headers)
        if (EqualsNoCase(k, name)) {
            v = std::move(value);
            return;
        }
    headers.emplace_back(std::move(name), std::move(value));
}

std::string_view Response::Header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (EqualsNoCase(k, name)) return v;
    return {};
}

bool ParseTarget(std::string_view target, std::string& path, std::map<std::string, std::string>& query) {
    auto q = target.find('?');
    if (!PercentDecode(target.substr(0, q), path, false) || path.empty() || path.front() != '/') return false;
    if (path.find('\0') != std::string::npos) return false;
    if (q == std::string_view::npos) return true;
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
        auto amp = rest.find('&');
        std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        if (pair.empty()) continue;
        auto eq = pair.find('=');
        std::string key, value;
        if (!PercentDecode(pair.substr(0, eq), key, true)) return false;
        if (eq != std::string_view::npos && !PercentDecode(pair.substr(eq + 1), value, true)) return false;
        query.emplace(std::move(key), std::move(value));  // the first value of a repeated key wins
    }
    return true;
}

}  // namespace uxf::gateway
