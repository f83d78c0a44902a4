// Reverse dynamic forwarding, burrow -R [bind_address:]port (no target):
// the server listens, and each connection it accepts arrives here as a
// forwarded-tcpip channel (RFC 4254 §7.2) carrying a SOCKS client's bytes.
// We answer the SOCKS handshake on the channel, connect to the requested
// target from this machine, and relay channel <-> socket.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "client/log.h"
#include "crypto/bytes.h"
#include "protocol/asio/channel_relay.h"
#include "protocol/connection.h"
#include "protocol/events.h"

namespace burrow::client {

class ReverseDynamicForwarder {
public:
    /// Runs a command on the connection after the current event and wakes
    /// the driver (as Session::defer).
    using Defer = std::function<void(std::function<void()>)>;

    ReverseDynamicForwarder(const boost::asio::any_io_executor& executor, const Logger& log,
                            Defer defer);
    ~ReverseDynamicForwarder();
    ReverseDynamicForwarder(const ReverseDynamicForwarder&) = delete;
    ReverseDynamicForwarder& operator=(const ReverseDynamicForwarder&) = delete;

    void attach(protocol::Connection& conn) { m_conn = &conn; }

    /// A forwarded-tcpip channel for one of our reverse dynamic forwards
    /// (the caller matched its connected address and port): accepted here,
    /// and from now on a SOCKS stream.
    void accept(const protocol::ChannelOpenRequest& request);

    /// Channel events; each returns false if `id` is not one of ours.
    bool on_data(protocol::ChannelId id, ByteView data);
    bool on_eof(protocol::ChannelId id);
    bool on_closed(protocol::ChannelId id);
    bool on_window_available(protocol::ChannelId id);
    /// Close every local connection (the session is ending).
    void close_all();

private:
    struct Stream;

    void on_handshake_data(const std::shared_ptr<Stream>& stream, ByteView data);
    void connect(const std::shared_ptr<Stream>& stream);
    /// The target is connected (or not): reply on the channel, then relay
    /// or close.
    void on_connected(const std::shared_ptr<Stream>& stream, const boost::system::error_code& ec);
    /// Send the SOCKS output waiting for the channel window, then start the
    /// relay or close the channel as the stream's stage says.
    void flush(const std::shared_ptr<Stream>& stream);

    boost::asio::any_io_executor m_executor;
    const Logger& m_log;
    Defer m_defer;
    protocol::Connection* m_conn = nullptr;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
    std::map<protocol::ChannelId, std::shared_ptr<Stream>> m_streams;
    /// Relays whose channel closed but that still write buffered data.
    std::vector<std::weak_ptr<protocol::asio::ChannelRelay>> m_draining;
};

}  // namespace burrow::client
