#include "server/monitor.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <map>
#include <string_view>

#include "server/connection_outcome.h"
#include "server/log.h"
#include "server/proc_title.h"

namespace burrow::server {

namespace {

/// Requests: one datagram each, "<op><pid> <tty>" (op 'I' login, 'O' logout).
constexpr char op_login = 'I';
constexpr char op_logout = 'O';
/// Sessions one connection may have on record at once (MaxSessions is far
/// below this; the bound keeps a misbehaving child from growing the table).
constexpr size_t max_monitor_logins = 1024;

std::string errno_text(const std::string& what)
{
    return what + ": " + std::strerror(errno);
}

struct Request {
    char op = 0;
    pid_t pid = 0;
    std::string tty;
};

std::optional<Request> parse_request(std::string_view text)
{
    if (text.size() < 4 || (text[0] != op_login && text[0] != op_logout)) {
        return std::nullopt;
    }
    const size_t space = text.find(' ');
    if (space == std::string_view::npos) {
        return std::nullopt;
    }
    Request r;
    r.op = text[0];
    const auto [end, ec] = std::from_chars(text.data() + 1, text.data() + space, r.pid);
    if (ec != std::errc() || end != text.data() + space || r.pid <= 0) {
        return std::nullopt;
    }
    r.tty = std::string(text.substr(space + 1));
    return r;
}

/// Only a pty the user owns may be recorded: the user's process cannot
/// make the monitor write records for another terminal.
bool user_tty(const std::string& tty, const UserInfo& user)
{
    if (!tty.starts_with("/dev/pts/") || tty.find("..") != std::string::npos) {
        return false;
    }
    struct stat st {};
    return stat(tty.c_str(), &st) == 0 && S_ISCHR(st.st_mode) && st.st_uid == user.uid;
}

/// The monitor's loop: answer requests until the user's process is gone.
void serve_requests(int fd, const MonitorSetup& setup, std::map<std::string, LoginRecord>& open)
{
    char buffer[max_monitor_request + 1];
    for (;;) {
        const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;  // the user's process exited (its end closed)
        }
        const std::optional<Request> r =
            static_cast<size_t>(n) <= max_monitor_request
                ? parse_request(std::string_view(buffer, static_cast<size_t>(n)))
                : std::nullopt;
        if (!r) {
            log_error("monitor: malformed request from the user's process; ignored");
            continue;
        }
        if (r->op == op_logout) {
            const auto it = open.find(r->tty);
            if (it != open.end()) {
                record_logout(it->second);
                open.erase(it);
            }
            continue;
        }
        if (open.size() >= max_monitor_logins || !user_tty(r->tty, setup.user)) {
            log_error("monitor: refused login record for " + r->tty);
            continue;
        }
        const LoginRecord record{r->pid, setup.user.name, setup.user.uid, r->tty, setup.host};
        record_login(record);
        open[r->tty] = record;
    }
}

[[noreturn]] void run_monitor(pid_t child, int fd, MonitorSetup& setup)
{
    std::map<std::string, LoginRecord> open;
    serve_requests(fd, setup, open);
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    // Sessions the user's process could not close itself (it crashed, or
    // was killed) still leave utmp and wtmp consistent.
    for (const auto& [tty, record] : open) {
        record_logout(record);
    }
    setup.pam.reset();  // pam_close_session / pam_setcred(DELETE) as root
    int code = exit_connection_ok;
    if (WIFSIGNALED(status)) {
        log_error("user process for " + setup.user.name + " killed by signal " +
                  std::to_string(WTERMSIG(status)));
        code = exit_child_crash;
    } else if (WIFEXITED(status)) {
        code = WEXITSTATUS(status);
    }
    _exit(code);
}

/// sshd_config(5) ChrootDirectory: every component of the path must be
/// owned by root and writable by nobody else.
std::string check_chroot_path(const std::string& dir)
{
    if (dir.empty() || dir.front() != '/') {
        return "ChrootDirectory \"" + dir + "\" is not an absolute path";
    }
    std::string prefix;
    size_t pos = 0;
    while (pos != std::string::npos) {
        const size_t next = dir.find('/', pos + 1);
        prefix = next == std::string::npos ? dir : dir.substr(0, next);
        if (prefix.empty()) {
            prefix = "/";
        }
        struct stat st {};
        if (stat(prefix.c_str(), &st) != 0) {
            return errno_text("ChrootDirectory " + prefix);
        }
        if (!S_ISDIR(st.st_mode)) {
            return "ChrootDirectory " + prefix + " is not a directory";
        }
        if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
            return "bad ownership or modes for chroot directory component \"" + prefix + "\"";
        }
        pos = next;
    }
    return {};
}

/// Close the monitor's copy of a connection descriptor; stdin/stdout (the
/// connection under burrowd -i) become /dev/null so they stay allocated.
void close_connection_fd(int fd)
{
    if (fd > STDERR_FILENO) {
        close(fd);
        return;
    }
    const int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null_fd >= 0) {
        dup2(null_fd, fd);
        close(null_fd);
    }
}

}  // namespace

LoginBook::~LoginBook()
{
    if (m_fd >= 0) {
        close(m_fd);
    }
}

void LoginBook::login(const LoginRecord& record)
{
    if (m_fd < 0) {
        record_login(record);
        return;
    }
    const std::string request = op_login + std::to_string(record.pid) + " " + record.tty;
    if (send(m_fd, request.data(), request.size(), MSG_NOSIGNAL) < 0) {
        log_error(errno_text("monitor: login record"));
    }
}

void LoginBook::logout(const LoginRecord& record)
{
    if (m_fd < 0) {
        record_logout(record);
        return;
    }
    const std::string request = op_logout + std::to_string(record.pid) + " " + record.tty;
    if (send(m_fd, request.data(), request.size(), MSG_NOSIGNAL) < 0) {
        log_error(errno_text("monitor: logout record"));
    }
}

int split_for_user(MonitorSetup& setup, std::string& error)
{
    int fds[2];
    // SOCK_SEQPACKET keeps request boundaries; CLOEXEC keeps the link out
    // of every program the user runs.
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0) {
        error = errno_text("socketpair");
        return -1;
    }
    const pid_t pid = fork();
    if (pid < 0) {
        error = errno_text("fork");
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid > 0) {
        close(fds[1]);
        // The monitor never talks to the network.
        for (const int fd : setup.connection_fds) {
            close_connection_fd(fd);
        }
        set_proc_title(setup.user.name + " [priv]");
        run_monitor(pid, fds[0], setup);
    }
    close(fds[0]);
    // The PAM handle is the monitor's: this copy must never close it.
    [[maybe_unused]] PamSession* copy = setup.pam.release();
    return fds[1];
}

std::string become_user(const UserInfo& user, const std::string& chroot_dir)
{
    if (!chroot_dir.empty()) {
        const std::string problem = check_chroot_path(chroot_dir);
        if (!problem.empty()) {
            return problem;
        }
        if (chroot(chroot_dir.c_str()) != 0 || chdir("/") != 0) {
            return errno_text("chroot(\"" + chroot_dir + "\")");
        }
    }
    std::string error = drop_privileges(user);
    // The process still holds the host keys (for re-keying) and the
    // session keys: the user it now runs as must not attach a debugger to
    // it or read its memory or a core dump. Linux already clears the flag
    // on the uid change; set it explicitly so this never depends on that.
    if (error.empty() && prctl(PR_SET_DUMPABLE, 0) != 0) {
        error = errno_text("prctl(PR_SET_DUMPABLE)");
    }
    return error;
}

}  // namespace burrow::server
