// burrowd's authentication policy for one connection: which methods are
// offered, PermitRootLogin, AuthenticationMethods progress, password checks
// and the sshd-format log lines (fail2ban's sshd filters rely on them).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/auth_progress.h"
#include "server/auth_settings.h"
#include "server/password_check.h"
#include "server/user.h"

namespace burrow::server {

class AuthPolicy {
public:
    /// `peer` is "IP port N" for the logs; `remote_ip` goes to PAM_RHOST.
    AuthPolicy(const AuthSettings& settings, std::string peer, std::string remote_ip);

    /// Methods to offer right now (USERAUTH_FAILURE list).
    std::vector<std::string> offered() const { return m_progress.offered(); }

    /// Start of an attempt for `user`: looks the user up (logging "Invalid
    /// user" once), and restarts the factors if the user name changed.
    void begin(const std::string& user);

    /// The configuration refuses the current user (AllowUsers, DenyUsers,
    /// ...): from now on it is handled like an unknown user, so every
    /// attempt fails and the replies do not tell it apart.
    void refuse_account()
    {
        m_refused = true;
        m_account.reset();
    }

    /// The account of the current attempt, if it exists.
    const std::optional<UserInfo>& account() const { return m_account; }

    /// PermitRootLogin: may the current user log in with `method`?
    /// `forced_command` tells whether the publickey entry has command=.
    bool root_allowed(std::string_view method, bool forced_command) const;

    /// Verify a password for `method` ("password" or "keyboard-interactive")
    /// and decide: accept, partial or reject. Logs Accepted/Failed lines.
    protocol::AuthVerdict password_attempt(std::string_view method, std::string_view password);

    /// keyboard-interactive through a PAM conversation (UsePAM yes) ended;
    /// `pam_ok` is PAM's verdict (pam_authenticate and pam_acct_mgmt). The
    /// verdict after the account, PermitRootLogin and AuthenticationMethods
    /// checks; logs "Accepted/Failed keyboard-interactive/pam" as sshd does.
    protocol::AuthVerdict pam_kbdint_result(bool pam_ok);

    /// How passwords are checked for this connection (PAM_RHOST, empty passwords).
    PasswordPolicy password_policy() const;

    /// A publickey signature was verified and the key is authorized: the
    /// verdict after PermitRootLogin and AuthenticationMethods.
    /// `key_text` is "ED25519 SHA256:..." for the log.
    protocol::AuthVerdict publickey_success(std::string_view key_text, bool forced_command);

    /// The user of the latest attempt ("" before any) and whether it exists.
    const std::string& attempted_user() const { return m_user; }
    /// "authenticating user NAME" or "invalid user NAME" as sshd says it.
    std::string user_phrase() const;

private:
    /// "for USER" or "for invalid user USER".
    std::string for_user() const;
    /// The verdict on a password-like `method` whose secret check gave `ok`.
    protocol::AuthVerdict password_verdict(std::string_view method, bool ok);
    /// Record a successful `method` (logged as `log_method`) and log the outcome.
    protocol::AuthVerdict succeed(std::string_view method, std::string_view log_method,
                                  std::string_view suffix);

    const AuthSettings& m_settings;
    const std::string m_peer;
    const std::string m_remote_ip;
    AuthProgress m_progress;
    std::string m_user;
    bool m_started = false;
    std::optional<UserInfo> m_account;
    bool m_refused = false;  ///< refuse_account(): never looked up again
};

}  // namespace burrow::server
