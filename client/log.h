// Client diagnostics on stderr, with ssh's LogLevel scale and its
// "debug1: " style prefixes so logs read like ssh's.
#pragma once

#include <optional>
#include <string_view>

namespace burrow::client {

/// ssh_config(5) LogLevel values, least to most verbose.
enum class LogLevel { quiet, fatal, error, info, verbose, debug1, debug2, debug3 };

/// Parse a LogLevel keyword (case-insensitive; "DEBUG" = DEBUG1 as in ssh_config(5)).
std::optional<LogLevel> parse_log_level(std::string_view text);

/// Writes diagnostics to stderr, filtered by level.
/// The terminal is in raw mode (no output post-processing): log lines end
/// in "\r\n" instead of "\n" so they do not staircase, as ssh's do.
void set_log_raw_terminal(bool raw);

class Logger {
public:
    explicit Logger(LogLevel level = LogLevel::info) : m_level(level) {}

    LogLevel level() const { return m_level; }
    void set_level(LogLevel level) { m_level = level; }
    bool enabled(LogLevel level) const { return level <= m_level; }

    /// Fatal/error lines: printed without prefix unless quiet.
    void error(std::string_view message) const;
    /// Informational lines (warnings the user should see by default).
    void info(std::string_view message) const;
    /// "debugN: message" for N = 1..3.
    void debug(int n, std::string_view message) const;
    void debug1(std::string_view message) const { debug(1, message); }
    void debug2(std::string_view message) const { debug(2, message); }
    void debug3(std::string_view message) const { debug(3, message); }

private:
    LogLevel m_level;
};

}  // namespace burrow::client
