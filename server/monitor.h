// Privilege separation after authentication (burrowd's take on sshd(8)'s
// post-authentication split). The connection process, root until now, forks:
//
//  - the child drops to the authenticated user for good (initgroups, setgid,
//    setuid, checked irreversible) and serves the connection: every channel,
//    session, forwarded socket and agent socket belongs to the user;
//  - the parent stays root as the connection's *monitor*. It owns nothing
//    the network can reach: it closes the connection's socket and only
//    answers the child's narrow requests on a socketpair (login records,
//    which need root), then, once the child is gone, writes the remaining
//    logout records, closes the PAM session as root and exits with the
//    child's outcome (a crash becomes exit_child_crash for the listener's
//    PerSourcePenalties).
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "server/login_records.h"
#include "server/pam_session.h"
#include "server/user.h"

namespace burrow::server {

/// Largest request the user's process may send the monitor; anything
/// longer is refused (and logged) by the monitor.
constexpr size_t max_monitor_request = 512;

/// Login records for sessions on a pty: written directly when this process
/// may (root, or no monitor), else asked of the monitor.
class LoginBook final {
public:
    /// `monitor_fd` < 0: write the records directly.
    explicit LoginBook(int monitor_fd = -1) : m_fd(monitor_fd) {}
    ~LoginBook();
    LoginBook(const LoginBook&) = delete;
    LoginBook& operator=(const LoginBook&) = delete;

    void login(const LoginRecord& record);
    void logout(const LoginRecord& record);

private:
    int m_fd;
};

/// What the monitor keeps of the connection.
struct MonitorSetup {
    UserInfo user;
    std::string host;  ///< peer address, for the login records
    /// The connection's PAM session (UsePAM), closed by the monitor as root.
    std::unique_ptr<PamSession> pam;
    /// The connection's descriptors: the monitor closes its copies at once.
    std::vector<int> connection_fds;
};

/// Fork. The parent becomes the monitor and never returns. In the child the
/// result is the descriptor of the link to the monitor (for a LoginBook),
/// or -1 with `error` set if the split failed (nothing was forked). The
/// caller must still tell its event loop about the fork and drop privileges.
int split_for_user(MonitorSetup& setup, std::string& error);

/// In the freshly split child: ChrootDirectory (if `chroot_dir` is not
/// empty, after sshd's ownership checks), then drop_privileges(). Returns an
/// error text, empty on success.
std::string become_user(const UserInfo& user, const std::string& chroot_dir);

}  // namespace burrow::server
