// Starting a user's command: fork, become the user, exec their shell with
// stdin, stdout and stderr connected to three pipes, or to a pty that becomes
// the session's controlling terminal.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "server/user.h"

namespace burrow::server {

/// A running child and our ends of its pipes (non-blocking, close-on-exec).
/// With a pty, stdin_fd and stdout_fd are both the master and there is no
/// stderr_fd (-1): the terminal merges the streams.
struct ChildProcess {
    pid_t pid = -1;
    int stdin_fd = -1;   ///< we write
    int stdout_fd = -1;  ///< we read
    int stderr_fd = -1;  ///< we read
};

class Pty;

/// How the child starts besides the command itself.
struct SpawnOptions {
    /// The session's pty (its slave becomes stdio and the controlling
    /// terminal; the master becomes our ends); nullptr: pipes.
    Pty* pty = nullptr;
    /// Written to the session before the command (last login, motd), unless
    /// the user has ~/.hushlogin, as login(1) does.
    std::string greeting;
    /// sshd(8) /etc/nologin: shown instead of running anything (exit 254).
    std::optional<std::string> refusal;
};

/// Fork and run `$SHELL -c command` (or a login shell without a command)
/// as `user`, in the user's home, with exactly the environment `env`
/// ("NAME=value" strings). Returns nullopt and sets `error` if the fork or
/// the pipes fail; failures inside the child are reported on its stderr.
std::optional<ChildProcess> spawn_user_process(const UserInfo& user,
                                               const std::vector<std::string>& env,
                                               const std::optional<std::string>& command,
                                               const SpawnOptions& options, std::string& error);

/// The environment sshd(8) gives a session (HOME USER LOGNAME SHELL PATH
/// MAIL SSH_CLIENT SSH_CONNECTION).
std::vector<std::string> session_environment(const UserInfo& user, const std::string& peer_ip,
                                             uint16_t peer_port, const std::string& local_ip,
                                             uint16_t local_port);

}  // namespace burrow::server
