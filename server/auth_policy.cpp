#include "server/auth_policy.h"

#include <unistd.h>

#include "server/config.h"
#include "server/log.h"

namespace burrow::server {

AuthPolicy::AuthPolicy(const AuthSettings& settings, std::string peer, std::string remote_ip)
    : m_settings(settings),
      m_peer(std::move(peer)),
      m_remote_ip(std::move(remote_ip)),
      m_progress(settings.authentication_methods, enabled_auth_methods(settings))
{
}

void AuthPolicy::begin(const std::string& user)
{
    if (m_started && user == m_user) {
        return;
    }
    // RFC 4252 §5: the user name may change between requests; factors
    // already completed belonged to the other name and no longer count.
    m_progress.reset();
    m_started = true;
    m_user = user;
    // A refusal by the access lists sticks for the whole connection.
    m_account = m_refused ? std::nullopt : lookup_user(user);
    if (!m_account && !m_refused) {
        log_info("Invalid user " + user + " from " + m_peer);
    }
}

std::string AuthPolicy::for_user() const
{
    return m_account ? "for " + m_user : "for invalid user " + m_user;
}

std::string AuthPolicy::user_phrase() const
{
    return (m_account ? "authenticating user " : "invalid user ") + m_user;
}

bool AuthPolicy::root_allowed(std::string_view method, bool forced_command) const
{
    if (!m_account || m_account->uid != 0) {
        return true;
    }
    switch (m_settings.permit_root_login) {
        case PermitRootLogin::yes:
            return true;
        case PermitRootLogin::prohibit_password:
            return method == "publickey";
        case PermitRootLogin::forced_commands_only:
            return method == "publickey" && forced_command;
        case PermitRootLogin::no:
            return false;
    }
    return false;
}

protocol::AuthVerdict AuthPolicy::succeed(std::string_view method, std::string_view log_method,
                                          std::string_view suffix)
{
    const protocol::AuthVerdict verdict = m_progress.complete(method);
    const std::string word = verdict == protocol::AuthVerdict::accept    ? "Accepted "
                             : verdict == protocol::AuthVerdict::partial ? "Partial "
                                                                         : "Failed ";
    log_info(word + std::string(log_method) + " " + for_user() + " from " + m_peer + " ssh2" +
             std::string(suffix));
    return verdict;
}

PasswordPolicy AuthPolicy::password_policy() const
{
    return PasswordPolicy{m_settings.use_pam, m_settings.permit_empty_passwords, m_remote_ip};
}

protocol::AuthVerdict AuthPolicy::password_attempt(std::string_view method,
                                                   std::string_view password)
{
    // The check runs even when the outcome is already known (unknown user,
    // root refused), so replies and timing do not reveal which case it was.
    return password_verdict(
        method, check_password(m_user, m_account.has_value(), password, password_policy()));
}

protocol::AuthVerdict AuthPolicy::pam_kbdint_result(bool pam_ok)
{
    return password_verdict("keyboard-interactive", pam_ok);
}

protocol::AuthVerdict AuthPolicy::password_verdict(std::string_view method, bool ok)
{
    // sshd names PAM's keyboard-interactive "keyboard-interactive/pam".
    const std::string log_method = method == "keyboard-interactive" && m_settings.use_pam
                                       ? "keyboard-interactive/pam"
                                       : std::string(method);
    // Not running as root, burrowd can only serve the account it runs as.
    const bool can_serve = m_account && (geteuid() == 0 || m_account->uid == geteuid());
    const bool root_ok = root_allowed(method, false);
    if (m_account && !root_ok) {
        log_info("ROOT LOGIN REFUSED FROM " + m_remote_ip + " port " +
                 m_peer.substr(m_peer.rfind(' ') + 1));
    }
    if (ok && can_serve && root_ok) {
        return succeed(method, log_method, "");
    }
    log_info("Failed " + log_method + " " + for_user() + " from " + m_peer + " ssh2");
    return protocol::AuthVerdict::reject;
}

protocol::AuthVerdict AuthPolicy::publickey_success(std::string_view key_text, bool forced_command)
{
    if (!root_allowed("publickey", forced_command)) {
        log_info("ROOT LOGIN REFUSED FROM " + m_remote_ip + " port " +
                 m_peer.substr(m_peer.rfind(' ') + 1));
        log_info("Failed publickey " + for_user() + " from " + m_peer +
                 " ssh2: " + std::string(key_text));
        return protocol::AuthVerdict::reject;
    }
    return succeed("publickey", "publickey", ": " + std::string(key_text));
}

}  // namespace burrow::server
