#include "client/log.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <string>
#include <utility>

namespace burrow::client {

namespace {

/// Set while the terminal is raw (only the main thread logs).
bool g_raw_terminal = false;

/// One whole line per fputs call so lines from different sources do not mix.
void write_line(std::string line)
{
    line += g_raw_terminal ? "\r\n" : "\n";
    std::fputs(line.c_str(), stderr);
    std::fflush(stderr);
}

bool iequals(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

void set_log_raw_terminal(bool raw)
{
    g_raw_terminal = raw;
}

std::optional<LogLevel> parse_log_level(std::string_view text)
{
    static const std::array<std::pair<std::string_view, LogLevel>, 9> names = {{
        {"QUIET", LogLevel::quiet},
        {"FATAL", LogLevel::fatal},
        {"ERROR", LogLevel::error},
        {"INFO", LogLevel::info},
        {"VERBOSE", LogLevel::verbose},
        {"DEBUG", LogLevel::debug1},  // ssh_config(5): DEBUG is DEBUG1
        {"DEBUG1", LogLevel::debug1},
        {"DEBUG2", LogLevel::debug2},
        {"DEBUG3", LogLevel::debug3},
    }};
    for (const auto& [name, level] : names) {
        if (iequals(name, text)) {
            return level;
        }
    }
    return std::nullopt;
}

void Logger::error(std::string_view message) const
{
    if (enabled(LogLevel::error)) {
        write_line(std::string(message));
    }
}

void Logger::info(std::string_view message) const
{
    if (enabled(LogLevel::info)) {
        write_line(std::string(message));
    }
}

void Logger::debug(int n, std::string_view message) const
{
    const int clamped = std::clamp(n, 1, 3);
    const auto level = static_cast<LogLevel>(static_cast<int>(LogLevel::debug1) + clamped - 1);
    if (enabled(level)) {
        write_line("debug" + std::to_string(clamped) + ": " + std::string(message));
    }
}

}  // namespace burrow::client
