#pragma once
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "uxf/core/clock.hpp"

/// Settings tables. Each component lists its UXFLOW_* variables beside its settings struct, one entry per variable:
/// its name, the values it accepts, its meaning, and the struct field it sets. The default is the struct's own (the
/// field of a default-constructed struct, formatted), so it is written once. `app/` composes the tables, reads the
/// TOML file and the environment into them, and prints them as the README's configuration table.
namespace uxf::settings {

/// How an entry reads its text.
enum class Kind {
    kInteger,  ///< an integer from min to max
    kSeconds,  ///< whole seconds from min to max, into a Micros field
    kNumber,   ///< a finite number from min to max
    kBool,     ///< true/false, yes/no, on/off, 1/0
    kText,     ///< any text
    kChoice,   ///< one of `choices`
    kList,     ///< comma-separated items, trimmed, empty items dropped
};

/// What a variable accepts, and its documentation.
struct Spec {
    std::string_view variable;  ///< `UXFLOW_...`
    Kind kind = Kind::kText;
    std::string_view description;  ///< one line, Markdown
    long long min = 0;             ///< kInteger, kSeconds (in seconds) and kNumber
    long long max = 0;
    std::span<const std::string_view> choices{};  ///< kChoice
    /// Documented instead of the struct's default when the struct holds only a placeholder that something else
    /// replaces ("(cores)", "(generated in the data dir)").
    std::string_view derived_default{};
};

/// One variable of the settings struct S.
template <class S>
struct Entry {
    Spec spec;
    /// Parses `text` into the field; throws std::invalid_argument saying what the value must be (without the
    /// variable's name, which the caller adds).
    void (*apply)(const Spec& spec, S& settings, std::string_view text) = nullptr;
    /// The field's value as text, in the form `apply` reads ("" for empty text or an empty list).
    std::string (*format)(const S& settings) = nullptr;

    /// The documented default: `derived_default`, else the default-constructed struct's value ("(none)" if empty).
    std::string DefaultText() const {
        if (!spec.derived_default.empty()) return std::string(spec.derived_default);
        std::string text = format(S{});
        return text.empty() ? "(none)" : text;
    }
};

// The parsers behind the entries. Each throws std::invalid_argument with what the value must be
// ("must be an integer from 1 to 1024").
long long ParseInteger(std::string_view text, long long min, long long max);
double ParseNumber(std::string_view text, long long min, long long max);
bool ParseBool(std::string_view text);
std::string ParseChoice(std::string_view text, std::span<const std::string_view> choices);
std::vector<std::string> ParseList(std::string_view text);

/// Shortest text that reads back as the same number (`200`, `12.5`).
std::string FormatNumber(double value);
/// The items joined with commas (what ParseList reads back).
std::string FormatList(const std::vector<std::string>& items);

namespace detail {

template <class M>
struct MemberOf;
template <class C, class T>
struct MemberOf<T C::*> {
    using Class = C;
};
template <auto First, auto... Rest>
struct Path {
    using Owner = typename MemberOf<decltype(First)>::Class;
    /// The field the member pointers lead to: `s.*First.*Rest...` (nested structs such as a gateway's rate limits).
    template <class S>
    static constexpr auto& Field(S& s) {
        if constexpr (sizeof...(Rest) == 0)
            return s.*First;
        else
            return Path<Rest...>::Field(s.*First);
    }
};

}  // namespace detail

// Entry makers. The template arguments are the member pointers leading from the settings struct to the field, e.g.
// `Integer<&FlowSettings::max_nodes>(...)` or `Number<&GatewaySettings::rate_limit, &RateLimitSettings::ip_rps>(...)`.

template <auto... Fields, class P = detail::Path<Fields...>, class S = typename P::Owner>
constexpr Entry<S> Integer(std::string_view variable, long long min, long long max, std::string_view description,
                           std::string_view derived_default = {}) {
    return {{variable, Kind::kInteger, description, min, max, {}, derived_default},
            [](const Spec& spec, S& s, std::string_view text) {
                auto& field = P::Field(s);
                static_assert(std::is_integral_v<std::remove_reference_t<decltype(field)>>);
                field = static_cast<std::remove_reference_t<decltype(field)>>(ParseInteger(text, spec.min, spec.max));
            },
            [](const S& s) { return std::to_string(P::Field(s)); }};
}

template <auto... Fields, class P = detail::Path<Fields...>, class S = typename P::Owner>
constexpr Entry<S> Seconds(std::string_view variable, long long min, long long max, std::string_view description) {
    return {{variable, Kind::kSeconds, description, min, max},
            [](const Spec& spec, S& s, std::string_view text) {
                Micros& field = P::Field(s);
                field = ParseInteger(text, spec.min, spec.max) * kSecond;
            },
            [](const S& s) -> std::string {
                const Micros& field = P::Field(s);
                return std::to_string(field / kSecond);
            }};
}

template <auto... Fields, class P = detail::Path<Fields...>, class S = typename P::Owner>
constexpr Entry<S> Number(std::string_view variable, long long min, long long max, std::string_view description) {
    return {{variable, Kind::kNumber, description, min, max},
            [](const Spec& spec, S& s, std::string_view text) {
                double& field = P::Field(s);
                field = ParseNumber(text, spec.min, spec.max);
            },
            [](const S& s) { return FormatNumber(P::Field(s)); }};
}

template <auto... Fields, class P = detail::Path<Fields...>, class S = typename P::Owner>
constexpr Entry<S> Bool(std::string_view variable, std::string_view description) {
    return {{variable, Kind::kBool, description},
            [](const Spec&, S& s, std::string_view text) {
                bool& field = P::Field(s);
                field = ParseBool(text);
            },
            [](const S& s) -> std::string { return P::Field(s) ? "true" : "false"; }};
}

template <auto... Fields, class P = detail::Path<Fields...>, class S = typename P::Owner>
constexpr Entry<S> Text(std::string_view variable, std::string_view description,
                        std::string_view derived_default = {}) {
    return {{variable, Kind::kText, description, 0, 0, {}, derived_default},
            [](const Spec&, S& s, std::string_view text) {
                std::string& field = P::Field(s);
                field = text;
            },
            [](const S& s) -> std::string { return P::Field(s); }};
}

template <auto... Fields, class P = detail::Path<Fields...>, class S = typename P::Owner>
constexpr Entry<S> Choice(std::string_view variable, std::span<const std::string_view> choices,
                          std::string_view description) {
    return {{variable, Kind::kChoice, description, 0, 0, choices},
            [](const Spec& spec, S& s, std::string_view text) {
                std::string& field = P::Field(s);
                field = ParseChoice(text, spec.choices);
            },
            [](const S& s) -> std::string { return P::Field(s); }};
}

template <auto... Fields, class P = detail::Path<Fields...>, class S = typename P::Owner>
constexpr Entry<S> List(std::string_view variable, std::string_view description) {
    return {{variable, Kind::kList, description},
            [](const Spec&, S& s, std::string_view text) {
                std::vector<std::string>& field = P::Field(s);
                field = ParseList(text);
            },
            [](const S& s) { return FormatList(P::Field(s)); }};
}

}  // namespace uxf::settings
