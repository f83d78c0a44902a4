#include "server/monitor.h"

#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string_view>

#include "server/connection_outcome.h"
#include "server/log.h"
#include "server/pam_session.h"
#include "server/proc_title.h"

namespace burrow::server {

namespace {

/// Requests, one datagram each: "U<0|1><user>" (the login begins; 1 = open
/// the PAM session), "I<pid> <tty>" (login record), "O<pid> <tty>" (logout).
constexpr char op_begin = 'U';
constexpr char op_login = 'I';
constexpr char op_logout = 'O';
/// Replies to op_begin: 'K', or 'E' then the error.
constexpr char reply_ok = 'K';
constexpr char reply_error = 'E';
/// Sessions one connection may have on record at once (MaxSessions is far
/// below this; the bound keeps a misbehaving process from growing the table).
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

std::optional<Request> parse_record_request(std::string_view text)
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
    // Only the canonical "/dev/pts/N": one spelling per terminal.
    constexpr std::string_view prefix = "/dev/pts/";
    const std::string_view number =
        std::string_view(tty).substr(std::min(tty.size(), prefix.size()));
    if (!tty.starts_with(prefix) || number.empty() || number.size() > 9 ||
        !std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return false;
    }
    struct stat st {};
    return stat(tty.c_str(), &st) == 0 && S_ISCHR(st.st_mode) && st.st_uid == user.uid;
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

/// The monitor's state for one connection.
struct MonitorState {
    int fd = -1;
    pid_t child = -1;  ///< the connection process
    std::string host;
    std::optional<UserInfo> user;  ///< set by the one op_begin
    /// The connection process opened a PAM session (as root, before it
    /// dropped privileges); the monitor closes it at the end.
    bool close_pam = false;
    std::map<std::string, LoginRecord> open;  ///< tty -> record
};

void send_reply(int fd, const std::string& reply)
{
    if (send(fd, reply.data(), reply.size(), MSG_NOSIGNAL) < 0) {
        log_error(errno_text("monitor: reply"));
    }
}

/// op_begin: accepted once only, while the connection process is still root
/// (it sends this before it drops privileges; a later one is refused).
void begin_login(MonitorState& m, std::string_view text)
{
    if (m.user || text.size() < 3 || (text[1] != '0' && text[1] != '1')) {
        log_error("monitor: unexpected login request; refused");
        send_reply(m.fd, std::string(1, reply_error) + "refused");
        return;
    }
    const std::string name(text.substr(2));
    m.user = lookup_user(name);
    if (!m.user) {
        send_reply(m.fd, std::string(1, reply_error) + "no such user");
        return;
    }
    m.close_pam = text[1] == '1';
    set_proc_title(name + " [priv]");
    send_reply(m.fd, std::string(1, reply_ok));
}

void record_request(MonitorState& m, std::string_view text)
{
    const std::optional<Request> r = parse_record_request(text);
    if (!r || !m.user) {
        log_error("monitor: malformed request from the connection process; ignored");
        return;
    }
    if (r->op == op_logout) {
        const auto it = m.open.find(r->tty);
        if (it != m.open.end()) {
            record_logout(it->second);
            m.open.erase(it);
        }
        return;
    }
    if (m.open.size() >= max_monitor_logins || !user_tty(r->tty, *m.user)) {
        log_error("monitor: refused login record for " + r->tty);
        return;
    }
    const LoginRecord record{r->pid, m.user->name, m.user->uid, r->tty, m.host};
    record_login(record);
    m.open[r->tty] = record;
}

/// On SOCK_SEQPACKET recv() returns 0 for an empty datagram as for the
/// end: only a hang-up is the end.
bool peer_gone(int fd)
{
    pollfd p{fd, POLLIN, 0};
    return poll(&p, 1, 0) < 0 || (p.revents & (POLLHUP | POLLERR)) != 0;
}

[[noreturn]] void run_monitor(MonitorState& m)
{
    char buffer[max_monitor_request + 1];
    for (;;) {
        const ssize_t n = recv(m.fd, buffer, sizeof buffer, 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            break;
        }
        if (n == 0 && peer_gone(m.fd)) {
            break;  // the connection process is gone
        }
        if (n == 0) {
            continue;  // an empty datagram, not the end
        }
        const std::string_view text(buffer, static_cast<size_t>(n));
        if (text.size() > max_monitor_request) {
            log_error("monitor: oversized request; ignored");
        } else if (text.front() == op_begin) {
            begin_login(m, text);
        } else {
            record_request(m, text);
        }
    }
    // Sessions the connection process could not close itself (it crashed,
    // or was killed) still leave utmp and wtmp consistent.
    for (const auto& [tty, record] : m.open) {
        record_logout(record);
    }
    if (m.close_pam && m.user) {
        PamSession::close_for(m.user->name, m.host);  // as root
    }
    int status = 0;
    while (waitpid(m.child, &status, 0) < 0 && errno == EINTR) {
    }
    // The listener reads this exit status (PerSourcePenalties): the
    // connection process's own, or a crash if a signal killed it.
    // After login the process runs as the user, who may signal it: only a
    // crash before login counts as one for the listener.
    if (WIFSIGNALED(status)) {
        _exit(m.user ? exit_connection_ok : exit_child_crash);
    }
    _exit(WIFEXITED(status) ? WEXITSTATUS(status) : exit_connection_error);
}

/// sshd_config(5) ChrootDirectory: every component of the path must be
/// owned by root and writable by nobody else.
std::string check_chroot_path(const std::string& dir)
{
    if (dir.empty() || dir.front() != '/') {
        return "ChrootDirectory \"" + dir + "\" is not an absolute path";
    }
    // "/", "/srv", "/srv/jail", ...: the root and every prefix of the path.
    std::vector<std::string> prefixes{"/"};
    for (size_t slash = dir.find('/', 1);; slash = dir.find('/', slash + 1)) {
        prefixes.push_back(dir.substr(0, slash));
        if (slash == std::string::npos) {
            break;
        }
    }
    for (const std::string& prefix : prefixes) {
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
    }
    return {};
}

/// This connection process's monitor, once forked.
pid_t g_monitor_pid = -1;

/// The connection process must not outlive its monitor (the PAM session
/// and the login records would be left open): the kernel kills it when the
/// monitor dies. False if the monitor is gone already.
bool die_with_monitor()
{
    if (g_monitor_pid < 0) {
        return true;  // no monitor (burrowd is not root)
    }
    return prctl(PR_SET_PDEATHSIG, SIGKILL) == 0 && getppid() == g_monitor_pid;
}

}  // namespace

LoginBook::~LoginBook()
{
    if (m_fd >= 0) {
        close(m_fd);
    }
}

bool LoginBook::begin(const std::string& user, bool pam_session_open, std::string& error)
{
    if (m_fd < 0) {
        return true;  // no monitor (burrowd is not root)
    }
    const std::string request = op_begin + std::string(pam_session_open ? "1" : "0") + user;
    if (send(m_fd, request.data(), request.size(), MSG_NOSIGNAL) < 0) {
        error = errno_text("monitor");
        return false;
    }
    char reply[max_monitor_request + 1];
    ssize_t n = -1;
    while ((n = recv(m_fd, reply, sizeof reply, 0)) < 0 && errno == EINTR) {
    }
    if (n <= 0 || reply[0] != reply_ok) {
        error = n <= 0 ? "monitor gone" : std::string(reply + 1, static_cast<size_t>(n - 1));
        return false;
    }
    return true;
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

int start_monitor(const std::vector<int>& connection_fds, const std::string& host,
                  std::string& error)
{
    int fds[2];
    // SOCK_SEQPACKET keeps request boundaries; CLOEXEC keeps the link out
    // of every program the user runs.
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0) {
        error = errno_text("socketpair");
        return -1;
    }
    const pid_t self = getpid();
    const pid_t pid = fork();
    if (pid < 0) {
        error = errno_text("fork");
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid > 0) {
        // The parent is the monitor: it outlives the connection process to
        // clean up after it, and reaps it (no orphan left to init).
        close(fds[1]);
        // The monitor never talks to the network, nor to the listener.
        for (const int fd : connection_fds) {
            close_connection_fd(fd);
        }
        drop_startup_pipe();
        set_proc_title(host + " [priv]");
        MonitorState state;
        state.fd = fds[0];
        state.host = host;
        state.child = pid;
        run_monitor(state);
    }
    close(fds[0]);
    g_monitor_pid = self;
    if (!die_with_monitor()) {
        _exit(exit_connection_error);  // the monitor is already gone
    }
    return fds[1];
}

std::string become_user(const UserInfo& user, const std::string& chroot_dir)
{
    // The supplementary groups come from the real /etc/group, read before
    // the chroot (whose files the user may control).
    if (geteuid() == 0 && initgroups(user.name.c_str(), user.gid) != 0) {
        return errno_text("initgroups");
    }
    if (!chroot_dir.empty()) {
        // Check and enter the resolved path, so a symbolic link cannot lead
        // past the checks of its target's parents.
        char resolved[PATH_MAX];
        if (realpath(chroot_dir.c_str(), resolved) == nullptr) {
            return errno_text("ChrootDirectory " + chroot_dir);
        }
        const std::string problem = check_chroot_path(resolved);
        if (!problem.empty()) {
            return problem;
        }
        if (chroot(resolved) != 0 || chdir("/") != 0) {
            return errno_text("chroot(\"" + std::string(resolved) + "\")");
        }
    }
    std::string error = drop_privileges(user, GroupSetting::already_set);
    // The process still holds the host keys (for re-keying) and the
    // session keys: the user it now runs as must not attach a debugger to
    // it or read its memory or a core dump. Linux already clears the flag
    // on the uid change; set it explicitly so this never depends on that.
    if (error.empty() && prctl(PR_SET_DUMPABLE, 0) != 0) {
        error = errno_text("prctl(PR_SET_DUMPABLE)");
    }
    // Changing credentials cleared the parent-death signal: set it again.
    if (error.empty() && !die_with_monitor()) {
        error = "the monitor is gone";
    }
    return error;
}

}  // namespace burrow::server
