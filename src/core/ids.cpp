#include "uxf/core/ids.hpp"

#include "uxf/core/strings.hpp"

namespace uxf {

namespace {
constexpr std::size_t kIdChars = 26;  // ceil(128 / 5)
}

std::string NewId(std::string_view prefix) {
    auto bytes = RandomBytes(16);
    std::string id(prefix);
    id += '_';
    id += ToLower(Base32Encode(bytes));
    return id;
}

bool IsId(std::string_view id, std::string_view prefix) {
    if (id.size() != prefix.size() + 1 + kIdChars || id.substr(0, prefix.size()) != prefix || id[prefix.size()] != '_')
        return false;
    for (char c : id.substr(prefix.size() + 1)) {
        if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'))) return false;
    }
    return true;
}

}  // namespace uxf
