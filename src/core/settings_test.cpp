#include "uxf/core/settings.hpp"

#include <gtest/gtest.h>

#include <climits>
#include <stdexcept>

#include "uxf/core/log.hpp"

namespace uxf::settings {
namespace {

struct Inner {
    double rate = 2.5;
};

struct Sample {
    std::size_t count = 16;
    int small = -3;
    Micros ttl = 90 * kSecond;
    bool on = false;
    std::string name = "uxflow";
    std::string secret;
    std::string mode = "auto";
    std::vector<std::string> origins;
    Inner inner;
};

constexpr std::string_view kModes[] = {"auto", "json"};

constexpr Entry<Sample> kTable[] = {
    Integer<&Sample::count>("UXFLOW_COUNT", 1, 1LL << 34, "count"),
    Integer<&Sample::small>("UXFLOW_SMALL", -10, 10, "small"),
    Seconds<&Sample::ttl>("UXFLOW_TTL_S", 60, 3600, "ttl"),
    Bool<&Sample::on>("UXFLOW_ON", "on"),
    Text<&Sample::name>("UXFLOW_NAME", "name"),
    Text<&Sample::secret>("UXFLOW_SECRET", "secret", "(generated)"),
    Choice<&Sample::mode>("UXFLOW_MODE", kModes, "mode"),
    List<&Sample::origins>("UXFLOW_ORIGINS", "origins"),
    Number<&Sample::inner, &Inner::rate>("UXFLOW_RATE", 0, 1000, "rate"),
};

std::string Error(const Entry<Sample>& e, std::string_view text) {
    Sample s;
    try {
        e.apply(e.spec, s, text);
    } catch (const std::invalid_argument& error) {
        return error.what();
    }
    return "(accepted)";
}

TEST(SettingsTable, DocumentsTheStructsDefaultsFormatted) {
    std::vector<std::string> defaults;
    for (const auto& e : kTable) defaults.push_back(e.DefaultText());
    EXPECT_EQ(defaults,
              (std::vector<std::string>{"16", "-3", "90", "false", "uxflow", "(generated)", "auto", "(none)", "2.5"}));
}

TEST(SettingsTable, AppliesEachValueToTheFieldItNamesAndFormatsItBack) {
    Sample s;
    const std::pair<const char*, const char*> values[] = {
        {"UXFLOW_COUNT", "17179869184"}, {"UXFLOW_SMALL", "-10"},
        {"UXFLOW_TTL_S", "3600"},        {"UXFLOW_ON", "yes"},
        {"UXFLOW_NAME", "x y"},          {"UXFLOW_SECRET", "s3cret"},
        {"UXFLOW_MODE", "json"},         {"UXFLOW_ORIGINS", " https://a.example ,,https://b.example"},
        {"UXFLOW_RATE", "12.5"},
    };
    for (std::size_t i = 0; i < std::size(kTable); ++i) {
        ASSERT_EQ(kTable[i].spec.variable, values[i].first);
        kTable[i].apply(kTable[i].spec, s, values[i].second);
    }
    EXPECT_EQ(s.count, 1ULL << 34);
    EXPECT_EQ(s.small, -10);
    EXPECT_EQ(s.ttl, 3600 * kSecond);
    EXPECT_TRUE(s.on);
    EXPECT_EQ(s.name, "x y");
    EXPECT_EQ(s.secret, "s3cret");
    EXPECT_EQ(s.mode, "json");
    EXPECT_EQ(s.origins, (std::vector<std::string>{"https://a.example", "https://b.example"}));
    EXPECT_DOUBLE_EQ(s.inner.rate, 12.5);
    std::vector<std::string> formatted;
    for (const auto& e : kTable) formatted.push_back(e.format(s));
    EXPECT_EQ(formatted, (std::vector<std::string>{"17179869184", "-10", "3600", "true", "x y", "s3cret", "json",
                                                   "https://a.example,https://b.example", "12.5"}));
}

TEST(SettingsTable, RefusesWhatTheEntryDoesNotAcceptSayingWhatItMustBe) {
    EXPECT_EQ(Error(kTable[0], "0"), "must be an integer from 1 to 17179869184");
    EXPECT_EQ(Error(kTable[0], "17179869185"), "must be an integer from 1 to 17179869184");
    EXPECT_EQ(Error(kTable[0], "lots"), "must be an integer from 1 to 17179869184");
    EXPECT_EQ(Error(kTable[0], "5 "), "must be an integer from 1 to 17179869184");
    EXPECT_EQ(Error(kTable[0], ""), "must be an integer from 1 to 17179869184");
    EXPECT_EQ(Error(kTable[0], "99999999999999999999"), "must be an integer from 1 to 17179869184");
    EXPECT_EQ(Error(kTable[1], "11"), "must be an integer from -10 to 10");
    EXPECT_EQ(Error(kTable[2], "59"), "must be an integer from 60 to 3600");
    EXPECT_EQ(Error(kTable[3], "maybe"), "must be true or false");
    EXPECT_EQ(Error(kTable[6], "xml"), "must be one of auto, json");
    EXPECT_EQ(Error(kTable[8], "-1"), "must be a number from 0 to 1000");
    EXPECT_EQ(Error(kTable[8], "1000.5"), "must be a number from 0 to 1000");
    EXPECT_EQ(Error(kTable[8], "inf"), "must be a number from 0 to 1000");
    EXPECT_EQ(Error(kTable[8], "nan"), "must be a number from 0 to 1000");
    EXPECT_EQ(Error(kTable[8], "1e3"), "(accepted)");
}

TEST(SettingsTable, FormatsNumbersSoTheyReadBack) {
    EXPECT_EQ(FormatNumber(200), "200");
    EXPECT_EQ(FormatNumber(0.1), "0.1");
    EXPECT_DOUBLE_EQ(ParseNumber(FormatNumber(1.0 / 3), 0, 1), 1.0 / 3);
    EXPECT_EQ(FormatList({}), "");
    EXPECT_EQ(ParseList(FormatList({"a", "b"})), (std::vector<std::string>{"a", "b"}));
}

TEST(SettingsTable, LogLevelsAreTheOnesSpdlogKnows) {
    const auto& level = LogSettingsTable()[0];
    ASSERT_EQ(level.spec.variable, "UXFLOW_LOG_LEVEL");
    for (auto name : level.spec.choices) {
        if (name == "off") continue;
        EXPECT_NE(spdlog::level::from_str(std::string(name)), spdlog::level::off) << name;
    }
}

}  // namespace
}  // namespace uxf::settings
