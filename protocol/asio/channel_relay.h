// A relay between one connected stream socket (TCP or Unix) and one open
// channel of a protocol::Connection: forwarded agent connections, and the
// port forwardings of -L/-R/-D, on both ends. Bytes flow both ways within
// the channel windows (RFC 4254 §5.2), EOF is passed on in each direction
// (§5.3) and the channel is closed once both directions are done.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>

#include "protocol/connection.h"

namespace burrow::protocol::asio {

/// Bytes read from the socket at a time: one channel packet's worth.
inline constexpr size_t relay_read_size = limits::channel_max_packet;

/// Relays one socket <-> one channel. Create it once the channel is open
/// (confirmed or accepted), call start(), and forward the channel's events
/// to it. The relay keeps itself alive while its I/O runs.
///
/// Buffering is bounded: channel data waits in one buffer until written to
/// the socket and only then is consumed (so our window reopens only for
/// bytes the socket took), and the socket is read only as far as the peer's
/// window allows, into one reused buffer of relay_read_size bytes.
class ChannelRelay final : public std::enable_shared_from_this<ChannelRelay> {
public:
    using Socket = boost::asio::generic::stream_protocol::socket;
    /// Wakes the connection's driver after commands were issued outside an
    /// event callback (Driver::notify()).
    using Wake = std::function<void()>;
    /// Called once when the relay is over after on_closed() (not after
    /// shutdown()). Never called from inside an event callback.
    using Finished = std::function<void(ChannelId)>;

    /// `conn` must outlive the relay's use of it: call shutdown() before
    /// the connection goes away.
    ChannelRelay(Socket socket, Connection& conn, ChannelId id, Wake wake, Finished finished = {});
    ~ChannelRelay();
    ChannelRelay(const ChannelRelay&) = delete;
    ChannelRelay& operator=(const ChannelRelay&) = delete;

    /// Begin relaying (once).
    void start();

    // ---- the channel's events ----
    /// Channel data for the socket (copied; consumed once written).
    void on_data(ByteView data);
    /// The peer sent EOF: shut down the socket's sending side once the
    /// buffered data is written.
    void on_eof();
    /// The peer's window grew.
    void on_window_available();
    /// Both CLOSE messages were exchanged: the channel id is no longer ours
    /// and nothing more is sent on it. Channel data already received is
    /// still written to the socket, then the socket is closed.
    void on_closed();

    /// Stop everything without touching the connection (it is ending or
    /// gone): closes the socket.
    void shutdown();

    ChannelId id() const { return m_id; }
    /// True once the relay is over (socket closed).
    bool finished() const { return m_finished; }

private:
    boost::asio::awaitable<void> pump_to_channel();
    boost::asio::awaitable<void> pump_to_socket();
    /// Close the channel (once) when both directions are done or broken.
    void maybe_close_channel();
    void close_channel();
    /// Close the socket after on_closed() and tell the owner.
    void finish();
    /// Driver::notify(), only while the channel (and so the driver) exists.
    void wake() const;

    Socket m_socket;
    Connection& m_conn;
    const ChannelId m_id;
    Wake m_wake;
    Finished m_on_finished;
    boost::asio::steady_timer m_window_wake;  ///< cancelled when the window grows
    boost::asio::steady_timer m_data_wake;    ///< cancelled when channel data arrives
    Bytes m_to_socket;                        ///< channel data not yet being written
    bool m_started = false;
    bool m_socket_eof = false;   ///< socket read side done, EOF sent on the channel
    bool m_channel_eof = false;  ///< the peer sent EOF
    bool m_output_done = false;  ///< socket's sending side shut down (or broken)
    bool m_close_sent = false;
    bool m_channel_gone = false;    ///< on_closed(): the id is not ours any more
    bool m_output_running = false;  ///< pump_to_socket() has not ended yet
    bool m_finished = false;
};

}  // namespace burrow::protocol::asio
