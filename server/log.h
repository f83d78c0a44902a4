// burrowd's log: syslog (facility AUTH) by default, stderr with -e / -d,
// with sshd's LogLevel verbosity names.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace burrow::server {

/// Verbosity, least to most (sshd_config(5) LogLevel).
enum class LogLevel { quiet, fatal, error, info, verbose, debug1, debug2, debug3 };

/// Parse a LogLevel value (case-insensitive; "DEBUG" = DEBUG1).
std::optional<LogLevel> parse_log_level(std::string_view name);

/// Configure the process-wide log. `to_stderr` false opens syslog.
void log_init(std::string_view program, LogLevel level, bool to_stderr);

/// Current threshold.
LogLevel log_level();

/// Emit one line if `level` is enabled.
void log_message(LogLevel level, std::string_view message);

inline void log_fatal(std::string_view m)
{
    log_message(LogLevel::fatal, m);
}
inline void log_error(std::string_view m)
{
    log_message(LogLevel::error, m);
}
inline void log_info(std::string_view m)
{
    log_message(LogLevel::info, m);
}
inline void log_verbose(std::string_view m)
{
    log_message(LogLevel::verbose, m);
}
inline void log_debug(std::string_view m)
{
    log_message(LogLevel::debug1, m);
}

}  // namespace burrow::server
