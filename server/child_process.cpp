#include "server/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "server/pseudo_terminal.h"

namespace burrow::server {

namespace {

/// A pipe2() pair; closes whatever is still open.
struct Pipe {
    std::array<int, 2> fds = {-1, -1};
    ~Pipe()
    {
        for (const int fd : fds) {
            if (fd >= 0) {
                close(fd);
            }
        }
    }
    bool open() { return pipe2(fds.data(), O_CLOEXEC) == 0; }
    int take(size_t i)
    {
        const int fd = fds[i];
        fds[i] = -1;
        return fd;
    }
};

/// Write all of `text` to `fd`, ignoring errors (the session may be gone).
void write_all(int fd, std::string_view text)
{
    while (!text.empty()) {
        const ssize_t n = write(fd, text.data(), text.size());
        if (n <= 0) {
            return;
        }
        text.remove_prefix(static_cast<size_t>(n));
    }
}

/// Child side: the new session, its stdio and (with a pty) its controlling
/// terminal; everything else burrowd had open is closed before exec.
void set_up_stdio(int in_fd, int out_fd, int err_fd, bool controlling_tty)
{
    setsid();
    if (controlling_tty && ioctl(in_fd, TIOCSCTTY, 0) != 0) {
        _exit(127);
    }
    if (dup2(in_fd, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 ||
        dup2(err_fd, STDERR_FILENO) < 0) {
        _exit(127);
    }
    close_range(3, ~0U, 0);
    // SIGPIPE is ignored in burrowd; an ignored disposition survives exec.
    signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
}

/// login(1)'s rule: ~/.hushlogin silences the last login line and motd.
bool hushed(const UserInfo& user)
{
    return access((user.home + "/.hushlogin").c_str(), F_OK) == 0;
}

/// Child side after fork(): never returns.
[[noreturn]] void run_child(const UserInfo& user, const std::vector<std::string>& env,
                            const std::optional<std::string>& command,
                            const SpawnOptions& options, int in_fd, int out_fd, int err_fd)
{
    set_up_stdio(in_fd, out_fd, err_fd, options.pty != nullptr);
    const auto fail = [](const std::string& what) {
        write_all(STDERR_FILENO, "burrowd: " + what + "\n");
        _exit(1);
    };
    const std::string drop_error = drop_privileges(user);
    if (!drop_error.empty()) {
        fail(drop_error);
    }
    if (options.refusal) {
        write_all(STDOUT_FILENO, *options.refusal);
        _exit(254);  // sshd's exit code for /etc/nologin
    }
    if (chdir(user.home.c_str()) != 0) {
        // sshd falls back to / when the home directory is unavailable.
        write_all(STDERR_FILENO, "Could not chdir to home directory " + user.home + ": " +
                                     std::strerror(errno) + "\n");
        [[maybe_unused]] const int rc = chdir("/");
    }
    if (!options.greeting.empty() && !hushed(user)) {
        write_all(STDOUT_FILENO, options.greeting);
    }

    const std::string base = user.shell.substr(user.shell.rfind('/') + 1);
    // Without a command the shell is a login shell: argv[0] starts with '-'.
    const std::string argv0 = command ? base : "-" + base;
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(argv0.c_str()));
    if (command) {
        argv.push_back(const_cast<char*>("-c"));
        argv.push_back(const_cast<char*>(command->c_str()));
    }
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (const std::string& e : env) {
        envp.push_back(const_cast<char*>(e.c_str()));
    }
    envp.push_back(nullptr);
    execve(user.shell.c_str(), argv.data(), envp.data());
    fail(user.shell + ": " + std::strerror(errno));
    _exit(127);
}

/// The pty flavour of spawn_user_process().
std::optional<ChildProcess> spawn_on_pty(const UserInfo& user,
                                         const std::vector<std::string>& env,
                                         const std::optional<std::string>& command,
                                         const SpawnOptions& options, std::string& error)
{
    Pty& pty = *options.pty;
    const pid_t pid = fork();
    if (pid < 0) {
        error = std::string("fork: ") + std::strerror(errno);
        return std::nullopt;
    }
    if (pid == 0) {
        run_child(user, env, command, options, pty.slave(), pty.slave(), pty.slave());
    }
    // Only the child holds the slave now, so the master reports EOF (EIO)
    // once every process on the terminal has closed it.
    pty.close_slave();
    ChildProcess child;
    child.pid = pid;
    child.stdout_fd = pty.release_master();
    child.stdin_fd = fcntl(child.stdout_fd, F_DUPFD_CLOEXEC, 0);
    for (const int fd : {child.stdin_fd, child.stdout_fd}) {
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    }
    return child;
}

}  // namespace

std::optional<ChildProcess> spawn_user_process(const UserInfo& user,
                                               const std::vector<std::string>& env,
                                               const std::optional<std::string>& command,
                                               const SpawnOptions& options, std::string& error)
{
    if (options.pty != nullptr) {
        return spawn_on_pty(user, env, command, options, error);
    }
    Pipe in;
    Pipe out;
    Pipe err;
    if (!in.open() || !out.open() || !err.open()) {
        error = std::string("pipe: ") + std::strerror(errno);
        return std::nullopt;
    }
    const pid_t pid = fork();
    if (pid < 0) {
        error = std::string("fork: ") + std::strerror(errno);
        return std::nullopt;
    }
    if (pid == 0) {
        run_child(user, env, command, options, in.fds[0], out.fds[1], err.fds[1]);
    }
    ChildProcess child;
    child.pid = pid;
    child.stdin_fd = in.take(1);
    child.stdout_fd = out.take(0);
    child.stderr_fd = err.take(0);
    for (const int fd : {child.stdin_fd, child.stdout_fd, child.stderr_fd}) {
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    }
    return child;
}

std::vector<std::string> session_environment(const UserInfo& user, const std::string& peer_ip,
                                             uint16_t peer_port, const std::string& local_ip,
                                             uint16_t local_port)
{
    const char* path = user.uid == 0
                           ? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
                           : "/usr/local/bin:/usr/bin:/bin:/usr/games";
    return {
        "HOME=" + user.home,
        "USER=" + user.name,
        "LOGNAME=" + user.name,
        "SHELL=" + user.shell,
        std::string("PATH=") + path,
        "MAIL=/var/mail/" + user.name,
        "SSH_CLIENT=" + peer_ip + " " + std::to_string(peer_port) + " " +
            std::to_string(local_port),
        "SSH_CONNECTION=" + peer_ip + " " + std::to_string(peer_port) + " " + local_ip + " " +
            std::to_string(local_port),
    };
}

}  // namespace burrow::server
