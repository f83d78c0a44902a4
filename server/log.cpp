#include "server/log.h"

#include <fcntl.h>
#include <syslog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <array>
#include <cctype>
#include <cstdio>
#include <string>

namespace burrow::server {

namespace {

struct LogState {
    LogLevel level = LogLevel::info;
    bool to_syslog = false;
    int fd = STDERR_FILENO;  ///< stderr, or the -E file
    std::string ident;       ///< openlog() keeps the pointer: must outlive the log
    size_t errors = 0;
};

/// sshd(8) -E creates the log file readable by its owner only.
constexpr mode_t log_file_mode = 0600;

std::string upper_case(std::string_view text)
{
    std::string upper(text);
    for (char& c : upper) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return upper;
}

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
    const std::string upper = upper_case(name);
    for (const Entry& e : table) {
        if (upper == e.name) {
            return e.level;
        }
    }
    return std::nullopt;
}

std::optional<int> syslog_facility_code(std::string_view name)
{
    struct Entry {
        const char* name;
        int code;
    };
    // sshd_config(5) SyslogFacility values.
    static constexpr std::array<Entry, 12> table = {{
        {"DAEMON", LOG_DAEMON},
        {"USER", LOG_USER},
        {"AUTH", LOG_AUTH},
        {"AUTHPRIV", LOG_AUTHPRIV},
        {"LOCAL0", LOG_LOCAL0},
        {"LOCAL1", LOG_LOCAL1},
        {"LOCAL2", LOG_LOCAL2},
        {"LOCAL3", LOG_LOCAL3},
        {"LOCAL4", LOG_LOCAL4},
        {"LOCAL5", LOG_LOCAL5},
        {"LOCAL6", LOG_LOCAL6},
        {"LOCAL7", LOG_LOCAL7},
    }};
    const std::string upper = upper_case(name);
    for (const Entry& e : table) {
        if (upper == e.name) {
            return e.code;
        }
    }
    return std::nullopt;
}

std::optional<std::string> log_init(const LogSettings& settings)
{
    LogState& s = state();
    s.level = settings.level;
    s.ident = settings.program;
    s.to_syslog = settings.target == LogTarget::syslog;
    s.fd = STDERR_FILENO;
    if (settings.target == LogTarget::file) {
        // Appended, one write() per line, so forked children's lines stay whole.
        const int fd =
            ::open(settings.file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, log_file_mode);
        if (fd < 0) {
            return "Couldn't open logfile " + settings.file + ": " + std::strerror(errno);
        }
        s.fd = fd;
    }
    if (s.to_syslog) {
        openlog(s.ident.c_str(), LOG_PID,
                syslog_facility_code(settings.facility).value_or(LOG_AUTH));
    }
    return std::nullopt;
}

void log_init(std::string_view program, LogLevel level, bool to_stderr)
{
    LogSettings settings;
    settings.program = std::string(program);
    settings.level = level;
    settings.target = to_stderr ? LogTarget::stderr_stream : LogTarget::syslog;
    log_init(settings);
}

LogLevel log_level()
{
    return state().level;
}

size_t log_error_count()
{
    return state().errors;
}

void log_message(LogLevel level, std::string_view message)
{
    LogState& s = state();
    if (level == LogLevel::fatal || level == LogLevel::error) {
        ++s.errors;
    }
    if (level > s.level || s.level == LogLevel::quiet) {
        return;
    }
    // Peer-supplied text may appear in messages: strip control characters
    // so a hostile client cannot forge extra log lines.
    std::string line = debug_prefix(level);
    for (const char c : message) {
        line.push_back(std::iscntrl(static_cast<unsigned char>(c)) != 0 ? '?' : c);
    }
    if (s.to_syslog) {
        syslog(syslog_priority(level), "%s", line.c_str());
    } else {
        line.push_back('\n');
        // One write() per line so lines from forked children do not interleave.
        [[maybe_unused]] const ssize_t n = ::write(s.fd, line.data(), line.size());
    }
}

}  // namespace burrow::server
