// One "session" channel (RFC 4254 §6) from open to close: collects what the
// client sets up before the program starts (pty-req, env), decides by
// sshd_config and authorized_keys policy what runs (shell, exec, subsystem,
// ForceCommand), starts it as the user and forwards the later requests
// (window-change, signal, break) to it.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/asio/driver.h"
#include "protocol/connection.h"
#include "server/config.h"
#include "server/exec_session.h"
#include "server/key_options.h"
#include "server/login_records.h"
#include "server/monitor.h"
#include "server/peer.h"
#include "server/pseudo_terminal.h"
#include "server/user.h"

namespace burrow::server {

/// Per-connection facts every session of the connection shares; all
/// references outlive the sessions.
struct SessionContext {
    const ServerConfig& config;
    const UserInfo& user;
    const PeerInfo& peer;
    /// authorized_keys options of the key that authenticated (defaults for
    /// password logins).
    const KeyOptions& key_options;
    /// Where pty sessions are recorded (utmp, wtmp, lastlog).
    LoginBook& logins;
    /// Added to the program's environment: SSH_AUTH_SOCK, PAM's variables.
    std::vector<std::string> extra_env;
    /// What PAM's session modules said (e.g. pam_motd), shown to login shells.
    std::string login_messages;
};

class SessionChannel final {
public:
    SessionChannel(const boost::asio::any_io_executor& executor, protocol::Connection& conn,
                   protocol::asio::Driver& driver, protocol::ChannelId id);
    ~SessionChannel();
    SessionChannel(const SessionChannel&) = delete;
    SessionChannel& operator=(const SessionChannel&) = delete;

    /// A channel request; returns the success flag for the reply.
    bool on_request(const protocol::ChannelRequest& request, const SessionContext& context);

    bool started() const { return m_process->started(); }
    pid_t pid() const { return m_process->pid(); }
    /// The pty's name ("/dev/pts/3"), empty without one.
    const std::string& tty_name() const { return m_tty_name; }

    void on_data(ByteView data) { m_process->on_data(data); }
    void on_eof() { m_process->on_eof(); }
    void on_window_available() { m_process->on_window_available(); }
    void on_exit(int wait_status);
    /// The channel closed normally.
    void shutdown() { m_process->shutdown(); }
    /// The connection dropped: SIGHUP to the session (as sshd).
    void hang_up() { m_process->hang_up(); }

private:
    bool on_pty_request(const protocol::ChannelRequest& request, const SessionContext& context);
    bool on_env(const protocol::ChannelRequest& request, const SessionContext& context);
    bool on_signal(const protocol::ChannelRequest& request);
    /// shell (command nullopt), exec or subsystem.
    bool start(const protocol::ChannelRequest& request, const SessionContext& context);
    /// Last login line, PAM's messages and motd for a login shell on a pty;
    /// /etc/nologin's refusal. Records the login in utmp/wtmp/lastlog.
    void prepare_login(const protocol::ChannelRequest& request, const SessionContext& context,
                       SpawnOptions& options) const;
    /// What actually runs: ForceCommand, authorized_keys command=, the
    /// subsystem's command or the client's; sets SSH_ORIGINAL_COMMAND.
    std::optional<std::optional<std::string>> choose_command(
        const protocol::ChannelRequest& request, const SessionContext& context,
        std::vector<std::string>& env) const;
    std::vector<std::string> environment(const SessionContext& context) const;

    const protocol::ChannelId m_id;
    std::shared_ptr<ExecSession> m_process;
    std::optional<PtySettings> m_pty_settings;  ///< from pty-req, until started
    std::vector<std::string> m_client_env;      ///< accepted env requests, "NAME=value"
    std::string m_tty_name;
    /// utmp/wtmp entry written for this session, to close at its end, and
    /// the book it was written to.
    std::optional<LoginRecord> m_login;
    LoginBook* m_logins = nullptr;
};

}  // namespace burrow::server
