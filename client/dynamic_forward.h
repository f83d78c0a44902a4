// Dynamic forwarding, burrow -D [bind_address:]port: a local SOCKS entry
// (SOCKS4, SOCKS4a, SOCKS5; see client/socks.h). Each accepted connection
// names its target in the SOCKS handshake; the target is reached through a
// direct-tcpip channel (RFC 4254 §7.2) opened by the server, and the
// connection is then relayed over that channel by a ChannelRelay.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/log.h"
#include "client/socks.h"
#include "crypto/bytes.h"
#include "protocol/asio/channel_relay.h"
#include "protocol/connection.h"

namespace burrow::client {

/// How long a connected SOCKS client may take to send its request: a
/// client that connects and says nothing must not hold a socket forever.
inline constexpr std::chrono::seconds socks_handshake_timeout{30};

class DynamicForwarder {
public:
    /// Runs a command on the connection after the current event and wakes
    /// the driver (as Session::defer).
    using Defer = std::function<void(std::function<void()>)>;

    /// `handshake_timeout`: how long a client may take to send its request.
    DynamicForwarder(const boost::asio::any_io_executor& executor, const Logger& log, Defer defer,
                     std::chrono::milliseconds handshake_timeout = socks_handshake_timeout);
    ~DynamicForwarder();
    DynamicForwarder(const DynamicForwarder&) = delete;
    DynamicForwarder& operator=(const DynamicForwarder&) = delete;

    void attach(protocol::Connection& conn) { m_conn = &conn; }

    /// Listen for SOCKS clients on `bind_address`:`port`. The caller has
    /// applied GatewayPorts: "" and "*" mean every address, "localhost"
    /// the loopback addresses, anything else is resolved. Port 0 picks a
    /// free port. Returns the port listened on, or nullopt with `error` set
    /// when no address could be bound.
    std::optional<uint16_t> listen(const std::string& bind_address, uint16_t port,
                                   std::string& error);
    /// Stop listening on `port` (~C -KD); connections already relayed stay.
    /// False if nothing listened there.
    bool cancel(uint16_t port);

    /// Channel events; each returns false if `id` is not one of ours.
    bool on_open_result(protocol::ChannelId id, bool ok, std::string_view reason);
    bool on_data(protocol::ChannelId id, ByteView data);
    bool on_eof(protocol::ChannelId id);
    bool on_closed(protocol::ChannelId id);
    bool on_window_available(protocol::ChannelId id);
    /// Close every listener and connection (the session is ending).
    void close_all();

private:
    struct Client;
    /// A relayed connection; the relay starts once `leftover` is sent.
    struct Relayed {
        std::shared_ptr<protocol::asio::ChannelRelay> relay;
        Bytes leftover;
        bool started = false;
    };
    using Acceptor = boost::asio::ip::tcp::acceptor;

    void accept_next(const std::shared_ptr<Acceptor>& acceptor);
    void start_handshake(std::shared_ptr<Client> client);
    void on_handshake_read(const std::shared_ptr<Client>& client, size_t n);
    void open_channel(const std::shared_ptr<Client>& client);
    /// Send the bytes the client pipelined after its request, then start
    /// the relay (RFC 4254 §5.2: within the peer's window).
    void flush_leftover(protocol::ChannelId id);

    boost::asio::any_io_executor m_executor;
    const Logger& m_log;
    Defer m_defer;
    const std::chrono::milliseconds m_handshake_timeout;
    protocol::Connection* m_conn = nullptr;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
    std::vector<std::shared_ptr<Acceptor>> m_acceptors;
    /// Clients in the handshake (bounded by the timeout) or whose channel
    /// open is pending, by channel id once known.
    std::vector<std::weak_ptr<Client>> m_handshaking;
    std::map<protocol::ChannelId, std::shared_ptr<Client>> m_opening;
    std::map<protocol::ChannelId, Relayed> m_relays;
    /// Relays whose channel closed but that still write buffered data.
    std::vector<std::weak_ptr<protocol::asio::ChannelRelay>> m_draining;
};

}  // namespace burrow::client
