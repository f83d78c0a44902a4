// burrowd's log: syslog (SyslogFacility, AUTH by default), stderr with -e /
// -d, or a file with -E, with sshd's LogLevel verbosity names.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace burrow::server {

/// Verbosity, least to most (sshd_config(5) LogLevel).
enum class LogLevel { quiet, fatal, error, info, verbose, debug1, debug2, debug3 };

/// Parse a LogLevel value (case-insensitive; "DEBUG" = DEBUG1).
std::optional<LogLevel> parse_log_level(std::string_view name);

/// Where log lines go (sshd(8): syslog unless -e or -d; -E appends to a file).
enum class LogTarget { syslog, stderr_stream, file };

struct LogSettings {
    std::string program = "burrowd";  ///< syslog ident
    LogLevel level = LogLevel::info;
    LogTarget target = LogTarget::syslog;
    /// SyslogFacility name (sshd_config(5)): DAEMON, USER, AUTH, AUTHPRIV,
    /// LOCAL0..LOCAL7; case-insensitive.
    std::string facility = "AUTH";
    std::string file;  ///< LogTarget::file: the -E path
};

/// The syslog(3) facility code of a SyslogFacility name; nullopt if unknown.
std::optional<int> syslog_facility_code(std::string_view name);

/// Configure the process-wide log. Returns an error message (and keeps
/// logging to stderr) if the -E file cannot be opened; nullopt on success.
std::optional<std::string> log_init(const LogSettings& settings);

/// Configure the process-wide log. `to_stderr` false opens syslog (AUTH).
void log_init(std::string_view program, LogLevel level, bool to_stderr);

/// Current threshold.
LogLevel log_level();

/// Messages at level ERROR or FATAL so far, counted even when not written
/// (burrowd -t fails if loading the host keys reported any).
size_t log_error_count();

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
