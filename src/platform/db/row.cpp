#include <charconv>

#include <fmt/format.h>

#include "uxf/platform/database.hpp"

namespace uxf::db {

std::int64_t Row::Int(std::size_t i) const {
    const Value& v = cols_.at(i);
    if (auto p = std::get_if<std::int64_t>(&v)) return *p;
    if (auto p = std::get_if<double>(&v)) return static_cast<std::int64_t>(*p);
    if (auto p = std::get_if<std::string>(&v)) {
        std::int64_t out = 0;
        auto [ptr, ec] = std::from_chars(p->data(), p->data() + p->size(), out);
        if (ec == std::errc() && ptr == p->data() + p->size()) return out;
        throw std::runtime_error(fmt::format("column {} is not an integer", i));
    }
    throw std::runtime_error(fmt::format("column {} is null", i));
}

std::string Row::Str(std::size_t i) const {
    const Value& v = cols_.at(i);
    if (auto p = std::get_if<std::string>(&v)) return *p;
    if (auto p = std::get_if<Blob>(&v)) return p->bytes;
    if (auto p = std::get_if<std::int64_t>(&v)) return std::to_string(*p);
    if (auto p = std::get_if<double>(&v)) return fmt::format("{}", *p);
    return {};
}

std::optional<std::int64_t> Row::OptInt(std::size_t i) const {
    if (IsNull(i)) return std::nullopt;
    return Int(i);
}

std::optional<std::string> Row::OptStr(std::size_t i) const {
    if (IsNull(i)) return std::nullopt;
    return Str(i);
}

}  // namespace uxf::db
