#include "uxf/core/log.hpp"

#include <unistd.h>

#include <fmt/format.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace uxf {
namespace {

// `%*` in a pattern: the message escaped for a JSON string, so arbitrary text keeps each line valid JSON.
class JsonMessageFlag final : public spdlog::custom_flag_formatter {
  public:
    void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
        std::string escaped = JsonEscape(std::string_view(msg.payload.data(), msg.payload.size()));
        dest.append(escaped.data(), escaped.data() + escaped.size());
    }
    std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JsonMessageFlag>(); }
};

constexpr std::string_view kLevels[] = {"trace", "debug", "info", "warn", "error", "off"};
constexpr std::string_view kFormats[] = {"json", "text", "auto"};

constexpr settings::Entry<LogSettings> kTable[] = {
    settings::Choice<&LogSettings::level>("UXFLOW_LOG_LEVEL", kLevels, "trace, debug, info, warn, error or off."),
    settings::Choice<&LogSettings::format>("UXFLOW_LOG_FORMAT", kFormats,
                                           "json, text, or auto (text on a terminal, JSON lines otherwise)."),
};

}  // namespace

std::span<const settings::Entry<LogSettings>> LogSettingsTable() { return kTable; }

void SetUpLogging(const LogSettings& settings) {
    bool json = settings.format == "json" || (settings.format == "auto" && !isatty(STDERR_FILENO));
    // One sink each: a pattern belongs to the sink. Both lock spdlog's console mutex, so lines never interleave.
    auto main = std::make_shared<spdlog::logger>("uxflow", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    auto access = std::make_shared<spdlog::logger>("access", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    if (json) {
        auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
        formatter->add_flag<JsonMessageFlag>('*').set_pattern(
            R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":"%*"})");
        main->set_formatter(std::move(formatter));
        access->set_pattern("%v");  // the gateway writes whole JSON objects
    } else {
        main->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
        access->set_pattern("%Y-%m-%d %H:%M:%S.%e access %v");
    }
    auto level = spdlog::level::from_str(settings.level);
    main->set_level(level);
    access->set_level(level);
    spdlog::drop("access");
    spdlog::register_logger(access);
    spdlog::set_default_logger(main);
}

std::string JsonEscape(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    AppendJsonEscaped(out, s);
    return out;
}

void AppendJsonEscaped(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (unsigned char c : s) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20) {
                    out += "\\u00";
                    out += kHex[c >> 4];
                    out += kHex[c & 0xF];
                } else {
                    out.push_back(static_cast<char>(c));
                }
        }
    }
}

}  // namespace uxf
