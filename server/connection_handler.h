// burrowd's policy for one SSH connection: answers the core's events
// (authentication against authorized_keys, session channels running
// commands) and logs them like sshd(8).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "protocol/asio/driver.h"
#include "protocol/connection.h"
#include "server/agent_forwarding.h"
#include "server/auth_policy.h"
#include "server/client_alive.h"
#include "server/config.h"
#include "server/forwarding.h"
#include "server/key_options.h"
#include "server/monitor.h"
#include "server/pam_conversation.h"
#include "server/pam_session.h"
#include "server/peer.h"
#include "server/session_channel.h"
#include "server/user.h"

namespace burrow::server {

class ConnectionHandler final : public protocol::EventHandler {
public:
    /// `socket`, `config` and `protocol_config`'s keys and rng must outlive this.
    ConnectionHandler(protocol::asio::ByteStream& socket, const ServerConfig& config,
                      protocol::Config protocol_config, PeerInfo peer);
    ~ConnectionHandler() override;

    /// Serve until the connection is over.
    boost::asio::awaitable<void> run();

    /// The link to this connection's monitor (server/monitor.h).
    void set_monitor(int fd) { m_logins = std::make_unique<LoginBook>(fd); }

    /// sshd_config(5) Match: re-resolve the configuration from `source`
    /// once the user is known. Without this the global settings apply.
    void enable_match(const Options& options, const ConfigSource& source)
    {
        m_options = &options;
        m_source = &source;
    }

    /// How the connection ended, as the process's exit status
    /// (ConnectionExit): authenticated, LoginGraceTime, failed attempts.
    int exit_status() const;

    void on_disconnected(const protocol::DisconnectInfo& info) override;
    void on_debug(int level, std::string_view message) override;
    void on_auth_request(const protocol::AuthRequest& request) override;
    void on_info_response(const std::vector<ByteView>& responses) override;
    void on_auth_abandoned() override;
    void on_auth_bad_signature(std::string_view user, ByteView key_blob) override;
    void on_authenticated(std::string_view user, std::string_view method) override;
    void on_channel_open_request(const protocol::ChannelOpenRequest& request) override;
    void on_channel_data(protocol::ChannelId id, ByteView data) override;
    void on_channel_extended_data(protocol::ChannelId id, uint32_t type, ByteView data) override;
    void on_channel_eof(protocol::ChannelId id) override;
    void on_channel_closed(protocol::ChannelId id) override;
    void on_channel_request(const protocol::ChannelRequest& request) override;
    void on_window_available(protocol::ChannelId id) override;
    void on_channel_open_result(protocol::ChannelId id, bool ok, std::string_view reason) override;
    bool on_global_request(const protocol::GlobalRequest& request) override;
    void on_global_reply(const protocol::GlobalReply& reply) override;

private:
    /// "IP port N" as sshd writes it.
    std::string peer_text() const;
    /// The options of the first authorized_keys entry listing this key that
    /// this connection may use; nullopt if there is none.
    std::optional<KeyOptions> key_authorized(const UserInfo& user, ByteView key_blob) const;
    /// keyboard-interactive with UsePAM: run PAM's conversation for `user`.
    void start_pam_conversation(const std::string& user);
    /// Answer the pending attempt, updating the methods that may continue.
    void answer_verdict(protocol::AuthVerdict verdict);
    /// auth-agent-req@openssh.com on session channel `id`: start the
    /// forwarded agent socket if policy allows it.
    bool agent_forwarding_request(protocol::ChannelId id);
    SessionChannel* find_session(protocol::ChannelId id) const;
    /// At authentication, still root: with UsePAM open the PAM session, and
    /// tell the monitor; false if PAM refuses the session.
    bool begin_login(const UserInfo& user);
    /// Become the user for good (see server/monitor.h); ends the process
    /// if that fails.
    void drop_privileges_for_good();
    /// First auth request: apply the Match blocks for `user` (and the
    /// access lists); a later different user name ends the connection, as
    /// with sshd. False if the connection is being closed.
    bool apply_match(const std::string& user);
    /// The process title: "USER@pts/0,pts/1" (or "USER@notty") once
    /// authenticated, as sshd shows it.
    void update_title() const;
    /// ChrootDirectory with %h/%u expanded; empty for none.
    std::string chroot_directory() const;
    /// After authentication: port forwarding and ClientAlive*.
    void start_forwarding();
    void reap_children();
    boost::asio::awaitable<void> watch_children();

    protocol::asio::ByteStream& m_socket;
    /// The configuration for this connection: the global one until the
    /// user is known, then with the Match blocks for user, host and
    /// addresses applied (sshd_config(5) Match).
    const ServerConfig& config() const { return m_matched ? *m_matched : m_base_config; }

    const ServerConfig& m_base_config;
    std::optional<ServerConfig> m_matched;
    /// The configuration's source for Match (nullptr: no Match evaluation).
    const Options* m_options = nullptr;
    const ConfigSource* m_source = nullptr;
    std::optional<std::string> m_match_user;  ///< the user Match was applied for
    std::string m_host;                       ///< the peer's name (UseDNS yes) or address
    bool m_auth_attempted = false;            ///< an attempt other than "none"
    bool m_grace_expired = false;             ///< LoginGraceTime ended it
    const PeerInfo m_peer;
    /// Re-created with the matched settings once the user is known.
    std::optional<AuthPolicy> m_auth;
    protocol::Connection m_conn;
    protocol::asio::Driver m_driver;
    boost::asio::signal_set m_sigchld;
    /// UsePAM: the connection's PAM session (its handle; with a monitor,
    /// the monitor closes the session). Its environment and messages.
    std::unique_ptr<PamSession> m_pam_session;
    std::vector<std::string> m_pam_env;
    std::string m_pam_messages;
    /// utmp/wtmp/lastlog for pty sessions (through the monitor if any).
    std::unique_ptr<LoginBook> m_logins = std::make_unique<LoginBook>();
    std::map<protocol::ChannelId, std::unique_ptr<SessionChannel>> m_sessions;
    std::optional<UserInfo> m_user;  ///< set once authenticated
    /// authorized_keys options of the key whose signature was accepted
    /// (restrict, no-pty, no-port-forwarding, ... for the session features).
    KeyOptions m_key_options;
    bool m_closed = false;
    /// Agent forwarding: the user's SSH_AUTH_SOCK and the relays of its
    /// auth-agent@openssh.com channels; created by the first request.
    std::unique_ptr<AgentForwarding> m_agent;
    /// Port forwarding (created at authentication) and ClientAlive*.
    std::unique_ptr<PortForwarding> m_forwarding;
    std::unique_ptr<ClientAlive> m_client_alive;
    /// no-more-sessions@openssh.com received (OpenSSH PROTOCOL §2.2).
    bool m_no_more_sessions = false;
    bool m_banner_sent = false;  ///< Banner goes out once, at the first request
    /// keyboard-interactive through PAM (UsePAM yes): the running
    /// conversation. Declared last so it is cancelled and joined first.
    std::unique_ptr<PamConversation> m_pam;
};

}  // namespace burrow::server
