// burrowd's port forwarding for one connection (RFC 4254 §7, OpenSSH
// PROTOCOL §2.4): direct-tcpip and direct-streamlocal@openssh.com opens
// (connect, then accept), tcpip-forward / streamlocal-forward@openssh.com
// listeners whose connections become forwarded-tcpip /
// forwarded-streamlocal@openssh.com channels, each relayed by ChannelRelay.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "protocol/asio/channel_relay.h"
#include "protocol/asio/driver.h"
#include "protocol/asio/relay_table.h"
#include "protocol/connection.h"
#include "server/forwarding_policy.h"
#include "server/forwarding_sockets.h"
#include "server/key_options.h"
#include "server/user.h"

namespace burrow::server {

class PortForwarding final {
public:
    /// `conn`, `driver` and `settings` must outlive this object.
    PortForwarding(const boost::asio::any_io_executor& executor, protocol::Connection& conn,
                   protocol::asio::Driver& driver, const ForwardingSettings& settings,
                   const UserInfo& user, const KeyOptions& key_options, std::string peer_text);
    ~PortForwarding();
    PortForwarding(const PortForwarding&) = delete;
    PortForwarding& operator=(const PortForwarding&) = delete;

    /// A forwarding channel open from the client; false if `request` is not
    /// a forwarding type (the caller handles it).
    bool on_open_request(const protocol::ChannelOpenRequest& request);
    /// tcpip-forward & co.; false if not a forwarding request. Otherwise
    /// the request was answered (if it wanted a reply) and `taken` tells
    /// the core whether a reply was given through reply_global_request().
    bool on_global_request(const protocol::GlobalRequest& request, bool& taken);

    /// Channel events; each returns false if `id` is not a forwarding channel.
    bool on_open_result(protocol::ChannelId id, bool ok, std::string_view reason);
    bool on_data(protocol::ChannelId id, ByteView data);
    bool on_eof(protocol::ChannelId id);
    bool on_window_available(protocol::ChannelId id);
    bool on_closed(protocol::ChannelId id);

    /// The connection is ending: close every listener and relay without
    /// touching the connection.
    void stop();

private:
    using Relay = protocol::asio::ChannelRelay;
    /// One remote forward's listeners (TCP or Unix).
    struct Listener {
        std::string requested_address;  ///< as the client asked (sent back in opens)
        uint16_t port = 0;              ///< bound port (TCP)
        std::string path;               ///< Unix socket path
        std::vector<std::shared_ptr<boost::asio::ip::tcp::acceptor>> tcp;
        std::shared_ptr<boost::asio::local::stream_protocol::acceptor> unix_acceptor;
    };

    void direct_tcpip(const protocol::ChannelOpenRequest& request);
    void direct_streamlocal(const protocol::ChannelOpenRequest& request);
    bool tcpip_forward(const protocol::GlobalRequest& request, std::optional<uint32_t>& bound);
    bool cancel_tcpip_forward(const protocol::GlobalRequest& request);
    bool streamlocal_forward(const protocol::GlobalRequest& request);
    bool cancel_streamlocal_forward(const protocol::GlobalRequest& request);
    void accept_tcp(std::shared_ptr<boost::asio::ip::tcp::acceptor> acceptor, std::string address,
                    uint16_t port);
    void accept_unix(std::shared_ptr<boost::asio::local::stream_protocol::acceptor> acceptor,
                     std::string path);
    /// Start relaying an open channel.
    void relay(protocol::ChannelId id, Relay::Socket socket);
    static void close_listener(Listener& listener);

    boost::asio::any_io_executor m_executor;
    protocol::Connection& m_conn;
    protocol::asio::Driver& m_driver;
    const ForwardingSettings& m_settings;
    const UserInfo m_user;
    const ForwardingPolicy m_policy;
    const std::string m_peer_text;  ///< "IP port N" for log lines
    std::vector<Listener> m_listeners;
    /// Our opens (forwarded-*) waiting for the client's answer.
    std::map<protocol::ChannelId, Relay::Socket> m_pending;
    protocol::asio::RelayTable m_relays;
    /// Completion handlers check this: they may run after we are gone.
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

}  // namespace burrow::server
