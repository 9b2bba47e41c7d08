#include "uxf/core/settings.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "uxf/core/strings.hpp"

namespace uxf::settings {

long long ParseInteger(std::string_view text, long long min, long long max) {
    long long n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec == std::errc() && end == text.data() + text.size() && !text.empty() && n >= min && n <= max) return n;
    throw std::invalid_argument(fmt::format("must be an integer from {} to {}", min, max));
}

double ParseNumber(std::string_view text, long long min, long long max) {
    double d = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
    if (ec == std::errc() && end == text.data() + text.size() && !text.empty() && std::isfinite(d) &&
        d >= static_cast<double>(min) && d <= static_cast<double>(max))
        return d;
    throw std::invalid_argument(fmt::format("must be a number from {} to {}", min, max));
}

bool ParseBool(std::string_view text) {
    std::string l = ToLower(text);
    if (l == "1" || l == "true" || l == "yes" || l == "on") return true;
    if (l == "0" || l == "false" || l == "no" || l == "off") return false;
    throw std::invalid_argument("must be true or false");
}

std::string ParseChoice(std::string_view text, std::span<const std::string_view> choices) {
    for (auto c : choices)
        if (text == c) return std::string(c);
    throw std::invalid_argument(fmt::format("must be one of {}", fmt::join(choices, ", ")));
}

std::vector<std::string> ParseList(std::string_view text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto comma = text.find(',', start);
        if (comma == std::string_view::npos) comma = text.size();
        auto item = Trim(text.substr(start, comma - start));
        if (!item.empty()) out.emplace_back(item);
        start = comma + 1;
    }
    return out;
}

std::string FormatNumber(double value) { return fmt::format("{}", value); }

std::string FormatList(const std::vector<std::string>& items) { return fmt::format("{}", fmt::join(items, ",")); }

}  // namespace uxf::settings
