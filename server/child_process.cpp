#include "server/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

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

/// Child side after fork(): never returns.
[[noreturn]] void run_child(const UserInfo& user, const std::vector<std::string>& env,
                            const std::optional<std::string>& command, int in_fd, int out_fd,
                            int err_fd)
{
    // The child's stdio become the pipes; everything else burrowd had open
    // (sockets, the event loop's descriptors) is closed before exec.
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
    setsid();

    const auto fail = [](const std::string& what) {
        const std::string line = "burrowd: " + what + "\n";
        [[maybe_unused]] const ssize_t n = write(STDERR_FILENO, line.data(), line.size());
        _exit(1);
    };
    const std::string drop_error = drop_privileges(user);
    if (!drop_error.empty()) {
        fail(drop_error);
    }
    if (chdir(user.home.c_str()) != 0) {
        // sshd falls back to / when the home directory is unavailable.
        const std::string msg =
            "Could not chdir to home directory " + user.home + ": " + std::strerror(errno) + "\n";
        [[maybe_unused]] const ssize_t n = write(STDERR_FILENO, msg.data(), msg.size());
        [[maybe_unused]] const int rc = chdir("/");
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

}  // namespace

std::optional<ChildProcess> spawn_user_process(const UserInfo& user,
                                               const std::vector<std::string>& env,
                                               const std::optional<std::string>& command,
                                               std::string& error)
{
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
        run_child(user, env, command, in.fds[0], out.fds[1], err.fds[1]);
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
        "SSH_CLIENT=" + peer_ip + " " + std::to_string(peer_port) + " " +
            std::to_string(local_port),
        "SSH_CONNECTION=" + peer_ip + " " + std::to_string(peer_port) + " " + local_ip + " " +
            std::to_string(local_port),
    };
}

}  // namespace burrow::server
