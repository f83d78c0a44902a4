#include "server/log.h"

#include <syslog.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <string>

namespace burrow::server {

namespace {

struct LogState {
    LogLevel level = LogLevel::info;
    bool to_stderr = true;
    std::string ident;  ///< openlog() keeps the pointer: must outlive the log
};

LogState& state()
{
    static LogState s;
    return s;
}

int syslog_priority(LogLevel level)
{
    switch (level) {
        case LogLevel::quiet:
        case LogLevel::fatal:
            return LOG_CRIT;
        case LogLevel::error:
            return LOG_ERR;
        case LogLevel::info:
        case LogLevel::verbose:
            return LOG_INFO;
        default:
            return LOG_DEBUG;
    }
}

const char* debug_prefix(LogLevel level)
{
    switch (level) {
        case LogLevel::debug1:
            return "debug1: ";
        case LogLevel::debug2:
            return "debug2: ";
        case LogLevel::debug3:
            return "debug3: ";
        default:
            return "";
    }
}

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view name)
{
    struct Entry {
        const char* name;
        LogLevel level;
    };
    static constexpr std::array<Entry, 9> table = {{
        {"QUIET", LogLevel::quiet},
        {"FATAL", LogLevel::fatal},
        {"ERROR", LogLevel::error},
        {"INFO", LogLevel::info},
        {"VERBOSE", LogLevel::verbose},
        {"DEBUG", LogLevel::debug1},
        {"DEBUG1", LogLevel::debug1},
        {"DEBUG2", LogLevel::debug2},
        {"DEBUG3", LogLevel::debug3},
    }};
    std::string upper(name);
    for (char& c : upper) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    for (const Entry& e : table) {
        if (upper == e.name) {
            return e.level;
        }
    }
    return std::nullopt;
}

void log_init(std::string_view program, LogLevel level, bool to_stderr)
{
    LogState& s = state();
    s.level = level;
    s.to_stderr = to_stderr;
    s.ident = std::string(program);
    if (!to_stderr) {
        openlog(s.ident.c_str(), LOG_PID, LOG_AUTH);
    }
}

LogLevel log_level()
{
    return state().level;
}

void log_message(LogLevel level, std::string_view message)
{
    const LogState& s = state();
    if (level > s.level || s.level == LogLevel::quiet) {
        return;
    }
    // Peer-supplied text may appear in messages: strip control characters
    // so a hostile client cannot forge extra log lines.
    std::string line = debug_prefix(level);
    for (const char c : message) {
        line.push_back(std::iscntrl(static_cast<unsigned char>(c)) != 0 ? '?' : c);
    }
    if (s.to_stderr) {
        line.push_back('\n');
        // One write() per line so lines from forked children do not interleave.
        [[maybe_unused]] const ssize_t n = ::write(STDERR_FILENO, line.data(), line.size());
    } else {
        syslog(syslog_priority(level), "%s", line.c_str());
    }
}

}  // namespace burrow::server
