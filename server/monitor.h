// Privilege separation for one connection (burrowd's take on sshd(8)'s
// monitor). As its first act, while it is still single-threaded, the
// connection process forks a *monitor*:
//
//  - the monitor (the parent) stays root but owns nothing the network can reach: it
//    closes its copies of the connection's descriptors and only answers the
//    connection process's narrow requests on a socketpair: once, at
//    authentication, "this user logged in" (and whether a PAM session was
//    opened); afterwards, login records for the user's own ptys (utmp, wtmp
//    and lastlog need root). When the connection process is gone it writes
//    the remaining logout records, closes the PAM session and exits;
//  - the connection process authenticates as root, opens the PAM session
//    (so pam_limits, pam_loginuid, pam_systemd... apply to it and to every
//    program it starts), then drops to the user for good, in place (initgroups, setgid, setuid,
//    checked irreversible) before it serves any channel, so every session, forwarded socket and
//    agent socket belongs to the user.
//
// Forking the monitor first (not at authentication) matters: by then the
// connection process may have threads (Botan runs RSA private-key
// operations on a thread pool), and a child forked from a threaded process
// inherits none of them, so its later RSA signatures (re-keying) would wait
// forever.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "server/login_records.h"
#include "server/user.h"

namespace burrow::server {

/// Largest request the connection process may send the monitor; anything
/// longer is refused (and logged) by the monitor.
constexpr size_t max_monitor_request = 512;

/// The connection process's side: login records (and the PAM session)
/// through the monitor, or done directly when there is none (burrowd not
/// running as root).
class LoginBook final {
public:
    /// `monitor_fd` < 0: no monitor.
    explicit LoginBook(int monitor_fd = -1) : m_fd(monitor_fd) {}
    ~LoginBook();
    LoginBook(const LoginBook&) = delete;
    LoginBook& operator=(const LoginBook&) = delete;

    bool has_monitor() const { return m_fd >= 0; }

    /// Once, right after authentication and before dropping privileges:
    /// the monitor learns the user (and that a PAM session is open, which
    /// it closes at the end, as root). False with `error` set on failure.
    bool begin(const std::string& user, bool pam_session_open, std::string& error);

    void login(const LoginRecord& record);
    void logout(const LoginRecord& record);

private:
    int m_fd;
};

/// Fork (see above). The parent becomes the monitor and never returns: when
/// the connection process is gone it reaps it and exits with its status (a
/// crash as exit_child_crash). The child, the connection process, gets the
/// descriptor of its link to the monitor, or -1 with `error` set (then
/// nothing was forked). `connection_fds` are closed in the monitor; `host`
/// (the peer's address) goes into the login records and PAM_RHOST.
int start_monitor(const std::vector<int>& connection_fds, const std::string& host,
                  std::string& error);

/// In the authenticated connection process: ChrootDirectory (if
/// `chroot_dir` is not empty, after sshd's ownership checks), then
/// drop_privileges() and no more core dumps or ptrace by the user. Returns an
/// error text, empty on success.
std::string become_user(const UserInfo& user, const std::string& chroot_dir);

}  // namespace burrow::server
