// burrow's port forwarding (ssh(1) -L, -R, -D, ~C): local listeners whose
// connections become direct-tcpip / direct-streamlocal channels (RFC 4254
// §7.2, OpenSSH PROTOCOL §2.4), remote forwards requested with tcpip-forward
// / streamlocal-forward (RFC 4254 §7.1) whose forwarded channels are
// connected locally, the SOCKS entry of -D (client/dynamic_forward.h), and
// ServerAliveInterval keepalives. Each forwarded connection is its own
// channel relayed by a protocol::asio::ChannelRelay.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/dynamic_forward.h"
#include "client/escape.h"
#include "client/forward_listener.h"
#include "client/log.h"
#include "client/options.h"
#include "client/reverse_dynamic.h"
#include "protocol/asio/channel_relay.h"
#include "protocol/asio/relay_table.h"
#include "protocol/connection.h"
#include "protocol/events.h"

namespace burrow::client {

class ForwardManager final : public ForwardingHook {
public:
    /// Runs a command on the connection after the current event and wakes the driver.
    using Defer = std::function<void(std::function<void()>)>;
    /// End the connection with exit code 255 (the message was printed).
    using Fail = std::function<void()>;
    /// Every forwarding of the configuration was answered (for -f with
    /// ExitOnForwardFailure).
    using Ready = std::function<void()>;

    ForwardManager(const boost::asio::any_io_executor& executor, const Settings& settings,
                   const Logger& log, Defer defer, Fail fail, Ready ready);
    ~ForwardManager() override;
    ForwardManager(const ForwardManager&) = delete;
    ForwardManager& operator=(const ForwardManager&) = delete;

    void attach(protocol::Connection& conn);

    /// After authentication, inside a deferred action: listen for the local
    /// and dynamic forwards, request the remote ones, start keepalives.
    void start();
    /// True once every remote request of the configuration was answered.
    bool ready() const { return m_started && m_unanswered_initial == 0; }

    // ---- the connection's events; false: not ours ----
    bool on_open_request(const protocol::ChannelOpenRequest& request);
    bool on_open_result(protocol::ChannelId id, bool ok, std::string_view reason);
    bool on_data(protocol::ChannelId id, ByteView data);
    bool on_eof(protocol::ChannelId id);
    bool on_closed(protocol::ChannelId id);
    bool on_window_available(protocol::ChannelId id);
    void on_global_reply(const protocol::GlobalReply& reply);
    /// Close every listener, connection and timer (the connection is ending).
    void close_all();

    // ForwardingHook ("~#", "~C")
    std::vector<std::string> describe() const override;
    std::string apply(const ForwardCommand& command) override;

private:
    /// A remote forward we asked for.
    struct Remote {
        ForwardSpec spec;
        std::optional<uint32_t> bound_port;  ///< once the server agreed
        bool answered = false;
        bool cancelled = false;
    };
    /// What each global request we sent is waiting for, in order (RFC 4254 §4).
    struct PendingReply {
        enum class Kind { remote_forward, keepalive, cancel } kind = Kind::keepalive;
        size_t remote = 0;  ///< index into m_remotes
        bool initial = false;
    };
    /// A local connection waiting for its channel to open.
    struct Opening {
        std::shared_ptr<ForwardListener::Socket> socket;
    };

    // Local side (client/forward_manager.cpp).
    bool add_local(const ForwardSpec& spec, std::string& message);
    bool add_dynamic(const ForwardSpec& spec, std::string& message);
    void on_local_accept(const ForwardSpec& spec, ForwardListener::Socket socket,
                         const Originator& who);
    void start_relay(protocol::ChannelId id, ForwardListener::Socket socket);
    // Remote side (client/forward_remote.cpp).
    void request_remote(const ForwardSpec& spec, bool initial);
    void on_remote_reply(const PendingReply& pending, const protocol::GlobalReply& reply);
    const Remote* match_remote(const protocol::ChannelOpenRequest& request) const;
    void connect_remote_target(protocol::ChannelId id, const ForwardSpec& spec);
    std::string cancel_remote(const ForwardSpec& spec);
    void schedule_keepalive();
    void on_keepalive_tick();

    boost::asio::any_io_executor m_executor;
    const Settings& m_settings;
    const Logger& m_log;
    Defer m_defer;
    Fail m_fail;
    Ready m_ready;
    protocol::Connection* m_conn = nullptr;
    DynamicForwarder m_dynamic;
    ReverseDynamicForwarder m_reverse;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
    bool m_started = false;
    bool m_closed = false;

    std::vector<std::pair<ForwardSpec, std::unique_ptr<ForwardListener>>> m_listeners;
    std::vector<ForwardSpec> m_dynamic_specs;
    std::vector<Remote> m_remotes;
    std::deque<PendingReply> m_pending_replies;
    size_t m_unanswered_initial = 0;
    std::map<protocol::ChannelId, Opening> m_opening;
    protocol::asio::RelayTable m_relays;
    /// Forwarded channels from the server being connected locally.
    std::map<protocol::ChannelId, std::string> m_connecting;

    boost::asio::steady_timer m_keepalive;
    unsigned m_keepalives_unanswered = 0;
};

}  // namespace burrow::client
