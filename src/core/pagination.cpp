#include "uxf/core/pagination.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include <fmt/format.h>

#include "uxf/core/strings.hpp"

namespace uxf {

std::string EncodeCursor(std::int64_t at, const std::string& id) {
    return Base64UrlEncode(AsBytes(fmt::format("{}|{}", at, id)));
}

Result<Keyset> ParseCursor(const std::string& cursor, bool descending) {
    if (cursor.empty()) return Keyset{descending ? INT64_MAX : INT64_MIN, ""};
    auto bytes = Base64UrlDecode(cursor);
    std::string text = bytes ? std::string(bytes->begin(), bytes->end()) : "";
    auto bar = text.find('|');
    std::int64_t at = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + (bar == std::string::npos ? 0 : bar), at);
    if (bar == std::string::npos || ec != std::errc() || ptr != text.data() + bar)
        return Error::Invalid("bad cursor", {{"cursor", "is not a cursor this server made"}});
    return Keyset{at, text.substr(bar + 1)};
}

int ClampLimit(int limit) { return limit <= 0 ? 50 : std::min(limit, 200); }

}  // namespace uxf
