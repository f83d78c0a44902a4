#pragma once
/// @file
/// Process and file helpers for the interop tests: temporary directories, free loopback ports,
/// child processes with redirected standard streams, and bounded waits on conditions.
/// Nothing here sleeps as a means of synchronisation: every wait polls a condition until a
/// deadline.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace burrow::interop_test {

using Clock = std::chrono::steady_clock;

/// A private directory made by mkdtemp(3) and removed recursively on destruction.
class TempDir final {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    /// Absolute path of the directory.
    const std::string& path() const { return m_path; }
    /// Absolute path of an entry inside the directory.
    std::string file(const std::string& name) const { return m_path + "/" + name; }

private:
    std::string m_path;
};

/// Files a child's standard streams are connected to.
struct Redirects {
    std::string stdin_path = "/dev/null";
    std::string stdout_path = "/dev/null";
    std::string stderr_path = "/dev/null";
};

/// A child process started with posix_spawnp(3). On destruction a still-running child gets
/// SIGTERM, then SIGKILL if it has not exited within a few seconds, and is always reaped.
class Process final {
public:
    /// Starts argv[0] (searched in PATH) with the given redirections; throws on failure.
    Process(const std::vector<std::string>& argv, const Redirects& redirects);
    ~Process();
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    pid_t pid() const { return m_pid; }
    /// True while the child has not exited (reaps it if it has).
    bool running();
    /// Waits up to @p timeout; returns the exit code (128 + signal number if killed by a signal)
    /// or nullopt if the child is still running at the deadline.
    std::optional<int> wait_for_exit(Clock::duration timeout);
    /// Sends SIGTERM (then SIGKILL after a grace period) and reaps the child.
    void terminate();

private:
    bool poll_exit();

    pid_t m_pid = -1;
    std::optional<int> m_exit_code;
};

/// Outcome of a command run to completion.
struct RunResult {
    int exit_code = -1;
    bool timed_out = false;
    std::string out;
    std::string err;
};

/// How to run a command with run().
struct RunOptions {
    explicit RunOptions(std::string scratch, std::chrono::seconds limit = std::chrono::seconds(30),
                        std::string input = "/dev/null", std::string output = "")
        : scratch_dir(std::move(scratch)),
          timeout(limit),
          stdin_path(std::move(input)),
          stdout_path(std::move(output))
    {
    }

    /// Directory for the files that capture stdout and stderr (deleted after reading).
    std::string scratch_dir;
    std::chrono::seconds timeout;
    std::string stdin_path;
    /// If set, stdout goes to this file instead of RunResult::out.
    std::string stdout_path;
};

/// Runs @p argv to completion (or kills it at the timeout) and captures its output.
RunResult run(const std::vector<std::string>& argv, const RunOptions& options);

/// Human-readable summary of a run for test failure messages.
std::string describe(const std::vector<std::string>& argv, const RunResult& result);

/// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it back, close).
uint16_t free_loopback_port();

/// Polls @p condition every few milliseconds until it holds or @p timeout passes.
bool wait_until(const std::function<bool()>& condition, Clock::duration timeout);

/// Waits until 127.0.0.1:@p port accepts a TCP connection; gives up early if @p server exits.
bool wait_for_port(uint16_t port, Process& server, Clock::duration timeout);

/// SHA-256 of a file as lowercase hex, computed by sha256sum(1).
std::string sha256_of_file(const std::string& path, const std::string& scratch_dir);

std::string read_text(const std::string& path);
void write_text(const std::string& path, const std::string& content, unsigned mode = 0600);
void append_text(const std::string& path, const std::string& content);
uint64_t file_size(const std::string& path);

/// Name of the user running the tests (getpwuid(getuid())).
std::string login_user();

/// Value of environment variable @p name, or @p fallback if it is unset or empty.
std::string env_or(const char* name, const std::string& fallback);

/// The last @p max_chars characters of @p text (for logs in failure messages).
std::string tail(const std::string& text, size_t max_chars = 3000);

/// Lower-cased copy of @p text.
std::string to_lower(std::string text);

}  // namespace burrow::interop_test
