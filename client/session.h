// One client session: answers the core's events (host key, authentication,
// the session channel) and pumps the local stdin/stdout/stderr through the
// channel, ending with the remote command's exit status. With a pty (ssh(1)
// -t, RequestTTY) the local terminal is raw, its size follows SIGWINCH and
// typed input goes through the escape filter.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/signal_set.hpp>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "client/agent_forward.h"
#include "client/auth_flow.h"
#include "client/escape.h"
#include "client/forward_manager.h"
#include "client/host_verifier.h"
#include "client/log.h"
#include "client/options.h"
#include "client/session_setup.h"
#include "client/stdio_streams.h"
#include "client/terminal.h"
#include "protocol/asio/driver.h"
#include "protocol/connection.h"
#include "protocol/events.h"

namespace burrow::client {

/// Exit code for errors of burrow itself (as ssh(1)).
inline constexpr int exit_failure = 255;

class Session final : public protocol::EventHandler, private AuthTransport {
public:
    /// All references must outlive the session.
    /// `keys` are offered in order (see AuthFlow).
    Session(const Settings& settings, const Logger& log, const HostVerifier& verifier,
            std::vector<KeyCandidate> keys, Prompter& prompter,
            const boost::asio::any_io_executor& executor);

    /// Wire up the connection and driver (they need the session first).
    void attach(protocol::Connection& conn, protocol::asio::Driver& driver);

    /// Local abort (signal): disconnect and exit with 255.
    void abort(const std::string& why);

    /// The driver has finished: release local input, agent connections and
    /// signal waits so the event loop can end.
    void stop_input();

    /// After the event loop: restore the local terminal and, for a pty
    /// session, say "Connection to HOST closed." as ssh(1) does (unless -q).
    void end_terminal();

    /// Forwarding (issue E) registers here to appear in "~#" and take "~C"
    /// requests; `hook` must outlive the session.
    void add_forwarding_hook(ForwardingHook& hook) { m_forwarding_hooks.push_back(&hook); }

    /// The process exit code once the driver has finished.
    int exit_code() const;

    void on_host_key(const protocol::HostKeyCheck& check) override;
    void on_kex_done(bool first) override;
    void on_disconnected(const protocol::DisconnectInfo& info) override;
    void on_debug(int level, std::string_view text) override;
    void on_auth_ready() override;
    void on_auth_banner(std::string_view text) override;
    void on_auth_result(const protocol::AuthResult& result) override;
    void on_info_request(const protocol::InfoRequest& request) override;
    void on_channel_open_request(const protocol::ChannelOpenRequest& request) override;
    void on_global_reply(const protocol::GlobalReply& reply) override;
    void on_channel_open_result(protocol::ChannelId id, bool ok, std::string_view reason) override;
    void on_channel_data(protocol::ChannelId id, ByteView data) override;
    void on_channel_extended_data(protocol::ChannelId id, uint32_t type, ByteView data) override;
    void on_channel_eof(protocol::ChannelId id) override;
    void on_channel_closed(protocol::ChannelId id) override;
    void on_channel_request(const protocol::ChannelRequest& request) override;
    void on_channel_request_reply(protocol::ChannelId id, bool success) override;
    void on_window_available(protocol::ChannelId id) override;

private:
    /// Run a command on the connection after the current event returns,
    /// then wake the driver.
    void defer(std::function<void()> action);
    // AuthTransport: the flow's attempts, run on the connection.
    void try_none(const std::string& user) override;
    void try_publickey(const std::string& user, const crypto::PrivateKey& key) override;
    void try_password(const std::string& user, std::string password) override;
    void try_keyboard_interactive(const std::string& user) override;
    void answer_info_request(std::vector<std::string> responses) override;
    void auth_done(bool success) override;
    void start_channel(protocol::ChannelId id);
    /// -f: go to the background (client/forward_fork.h).
    void fork_now();
    /// Every configured forward was answered.
    void on_forwards_ready();
    /// pty-req (RFC 4254 §6.2) with the local terminal's TERM, size and modes.
    void request_pty(protocol::ChannelId id);
    void wait_window_change();
    void on_escape_item(const EscapeItem& item);
    void run_escape(EscapeAction action, const std::string& line);
    void run_escape_command(const std::string& line);
    void suspend();
    /// A message for the local terminal while it may be raw ("\r\n" endings).
    void tell(const std::string& text) const;
    void pump_stdin();
    void on_stdin(ByteView data, bool eof);
    /// End the connection with `code` as the exit status.
    void finish(int code);

    const Settings& m_settings;
    const Logger& m_log;
    const HostVerifier& m_verifier;
    boost::asio::any_io_executor m_executor;
    protocol::Connection* m_conn = nullptr;
    protocol::asio::Driver* m_driver = nullptr;
    StdinReader m_stdin;

    AuthFlow m_auth;
    AgentForwarder m_agent_forward;
    ForwardManager m_forwards;  ///< -L/-R/-D, ServerAliveInterval (issue E)
    std::optional<protocol::ChannelId> m_channel;
    bool m_pty = false;  ///< a pty is requested: raw terminal, escapes
    RawTerminal m_terminal;
    std::optional<EscapeFilter> m_escape;
    boost::asio::signal_set m_winch;
    bool m_winch_armed = false;
    std::vector<ForwardingHook*> m_forwarding_hooks;
    /// Requests sent with want_reply, oldest first (replies come in order, RFC 4254 §5.4).
    std::deque<std::string> m_pending_replies;
    bool m_channel_ready = false;
    Bytes m_stdin_pending;  ///< read from stdin, not yet accepted by the window
    bool m_stdin_eof = false;
    bool m_eof_sent = false;
    bool m_stdout_broken = false;  ///< writing stdout failed: output is dropped
    std::optional<uint32_t> m_exit_status;
    bool m_exit_signal = false;
    bool m_finished = false;  ///< we chose to end the connection
    bool m_started = false;   ///< the session channel was opened
    bool m_lost = false;      ///< the connection ended without our asking
    int m_exit_code = exit_failure;
};

}  // namespace burrow::client
