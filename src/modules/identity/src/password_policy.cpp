#include <string>
#include <unordered_set>

#include "internal.hpp"
#include "uxf/core/embedded.hpp"
#include "uxf/core/strings.hpp"

namespace uxf::identity::data {
std::span<const EmbeddedFile> EmbeddedFiles();
}

namespace uxf::identity {
namespace {

const std::unordered_set<std::string>& CommonPasswords() {
    static const std::unordered_set<std::string> words = [] {
        std::unordered_set<std::string> out;
        std::string_view text = data::EmbeddedFiles().front().content;
        while (!text.empty()) {
            auto nl = text.find('\n');
            std::string_view line = Trim(text.substr(0, nl));
            text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
            if (!line.empty() && line.front() != '#') out.emplace(line);
        }
        return out;
    }();
    return words;
}

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z'); }

// Strips leading and trailing digits and symbols: "Password2024!" -> "password".
std::string Core(const std::string& lower) {
    std::size_t b = 0, e = lower.size();
    while (b < e && !IsAlpha(lower[b])) ++b;
    while (e > b && !IsAlpha(lower[e - 1])) --e;
    return lower.substr(b, e - b);
}

// One short unit repeated: "abcabcabcabc", "aaaaaaaaaaaa", "passwordpassword".
bool IsRepetition(const std::string& s) {
    for (std::size_t unit = 1; unit <= s.size() / 2; ++unit) {
        if (s.size() % unit) continue;
        bool same = true;
        for (std::size_t i = unit; i < s.size() && same; ++i) same = s[i] == s[i - unit];
        if (same) return true;
    }
    return false;
}

// Runs along the alphabet, digits or a keyboard row: "123456789012", "abcdefghijkl", "qwertyuiop[]".
bool IsSequence(const std::string& s) {
    static const std::string_view kRows[] = {
        "`1234567890-=", "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./", "abcdefghijklmnopqrstuvwxyz", "01234567890"};
    int in_run = 0;
    for (std::size_t i = 1; i < s.size(); ++i) {
        int d = s[i] - s[i - 1];
        bool step = d == 1 || d == -1 || (s[i - 1] == '9' && s[i] == '0');
        for (auto row : kRows) {
            auto a = row.find(s[i - 1]);
            auto b = row.find(s[i]);
            if (a != std::string_view::npos && b != std::string_view::npos && (b == a + 1 || a == b + 1)) step = true;
        }
        in_run += step ? 1 : 0;
    }
    return s.size() > 1 && in_run >= static_cast<int>(s.size()) - 2;
}

}  // namespace

std::optional<std::string> CheckPassword(std::string_view password, std::string_view email, std::string_view name,
                                         std::size_t min, std::size_t max) {
    std::size_t len = Utf8Chars(password);
    if (len < min) return "must be at least " + std::to_string(min) + " characters";
    if (len > max) return "must be at most " + std::to_string(max) + " characters";
    std::string lower = ToLower(password);
    std::string core = Core(lower);
    const auto& common = CommonPasswords();
    if (common.contains(lower) || (core.size() >= 3 && common.contains(core)))
        return "is too common: it is one of the most used passwords";
    if (IsRepetition(lower) || IsRepetition(core) || IsSequence(lower))
        return "is too easy to guess: avoid repeated characters and keyboard or alphabet runs";
    std::string local = ToLower(email.substr(0, email.find('@')));
    if (local.size() >= 4 && lower.find(local) != std::string::npos) return "must not contain your e-mail address";
    std::string lname = ToLower(name);
    if (lname.size() >= 4 && lower.find(lname) != std::string::npos) return "must not contain your name";
    return std::nullopt;
}

}  // namespace uxf::identity
