// PAM account and session management for a login (UsePAM yes), as sshd(8)
// does it: the account is checked, credentials are established and the
// session is opened (pam_limits, pam_env, pam_loginuid, ...) in the
// per-connection process, as root, before the user's process is forked;
// the session is closed when this object goes away.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "server/password_check.h"

namespace burrow::server {

/// Most PAM_TEXT_INFO/PAM_ERROR_MSG text kept for messages() (pam_motd can
/// print large files; the rest is dropped).
constexpr size_t max_pam_session_message_bytes = 64 * 1024;

class PamSession final {
public:
    /// pam_start(service, user) with PAM_RHOST = `host` and PAM_TTY = `tty`
    /// ("ssh" when the session has no tty, as sshd sets it), then
    /// pam_acct_mgmt (the account stack: pam_nologin, expiry; also for
    /// publickey logins, which never ran PAM's auth stack),
    /// pam_setcred(PAM_ESTABLISH_CRED) and pam_open_session. No prompt is
    /// answered at session time. Returns nullptr and sets `error` when any
    /// step fails: the session is then refused, as sshd does. `service` is
    /// for tests; burrowd uses pam_service_name.
    static std::unique_ptr<PamSession> open(const std::string& user, const std::string& host,
                                            const std::string& tty, std::string& error,
                                            const std::string& service = pam_service_name);

    /// pam_close_session, pam_setcred(PAM_DELETE_CRED), pam_end.
    ~PamSession();

    /// Another process (the connection's monitor, which stays root) closes
    /// the session with close_for(): this object will only pam_end(), which
    /// also works after this process dropped its privileges.
    void close_elsewhere();

    /// pam_close_session and pam_setcred(PAM_DELETE_CRED) for `user` on a
    /// handle of its own, for a session opened by another process.
    static void close_for(const std::string& user, const std::string& host,
                          const std::string& service = pam_service_name);

    PamSession(const PamSession&) = delete;
    PamSession& operator=(const PamSession&) = delete;

    /// "NAME=value" entries from pam_getenvlist (pam_env, locale, ...), to
    /// add to the session's environment.
    std::vector<std::string> environment() const;

    /// Informational text the modules sent while opening the session (e.g.
    /// pam_motd), one message per line, for the session to show.
    std::string messages() const;

    struct State;

private:
    explicit PamSession(std::unique_ptr<State> state);

    std::unique_ptr<State> m_state;
};

}  // namespace burrow::server
