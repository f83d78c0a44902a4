// Two coroutines per relay, on the connection's io_context thread: one reads
// the socket into the channel, one writes channel data to the socket. They
// wait on timers that never expire on their own and that the channel's
// events cancel (the driver's wake-up pattern), so no wake-up is lost.
#include "protocol/asio/channel_relay.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>

namespace burrow::protocol::asio {

namespace {

namespace net = boost::asio;

constexpr auto no_throw = net::as_tuple(net::use_awaitable);

}  // namespace

ChannelRelay::ChannelRelay(Socket socket, Connection& conn, ChannelId id, Wake wake,
                           Finished finished)
    : m_socket(std::move(socket)),
      m_conn(conn),
      m_id(id),
      m_wake(std::move(wake)),
      m_on_finished(std::move(finished)),
      m_window_wake(m_socket.get_executor(), net::steady_timer::time_point::max()),
      m_data_wake(m_socket.get_executor(), net::steady_timer::time_point::max())
{
}

ChannelRelay::~ChannelRelay()
{
    shutdown();
}

void ChannelRelay::start()
{
    if (m_started || m_finished) {
        return;
    }
    m_started = true;
    // Each coroutine holds the relay alive until it ends. An unexpected
    // exception ends the channel rather than the whole connection.
    const auto done = [self = shared_from_this()](const std::exception_ptr& e) {
        if (e && !self->m_finished && !self->m_close_sent) {
            self->close_channel();
        }
    };
    const net::any_io_executor ex = m_socket.get_executor();
    m_output_running = true;
    net::co_spawn(ex, pump_to_channel(), done);
    net::co_spawn(ex, pump_to_socket(), done);
}

void ChannelRelay::on_data(ByteView data)
{
    if (m_finished || m_channel_gone) {
        return;
    }
    if (m_output_done) {
        // Nobody reads it any more: drop it but keep the window open.
        m_conn.consume_channel_data(m_id, data.size());
        return;
    }
    // Bounded by our receive window: the peer may not send more than
    // limits::channel_window unconsumed bytes (RFC 4254 §5.2).
    m_to_socket.insert(m_to_socket.end(), data.begin(), data.end());
    m_data_wake.cancel();
}

void ChannelRelay::on_eof()
{
    m_channel_eof = true;
    m_data_wake.cancel();
}

void ChannelRelay::on_window_available()
{
    m_window_wake.cancel();
}

void ChannelRelay::on_closed()
{
    if (m_finished || m_channel_gone) {
        return;
    }
    // The peer may close right after its last data (RFC 4254 §5.3 does not
    // require EOF first): deliver what we hold, as a drained half-close.
    m_channel_gone = true;
    m_window_wake.cancel();
    m_data_wake.cancel();
    if (!m_output_running) {
        // Posted: the owner's callback must not run inside its own event.
        net::post(m_socket.get_executor(), [self = shared_from_this()] { self->finish(); });
    }
}

void ChannelRelay::finish()
{
    if (m_finished) {
        return;
    }
    shutdown();
    if (m_on_finished) {
        const Finished finished = std::move(m_on_finished);
        m_on_finished = nullptr;
        finished(m_id);
    }
}

void ChannelRelay::wake() const
{
    if (m_wake && !m_channel_gone && !m_finished) {
        m_wake();
    }
}

void ChannelRelay::shutdown()
{
    // Must not touch the connection: also runs from the destructor.
    m_finished = true;
    boost::system::error_code ignored;
    m_socket.close(ignored);
    m_window_wake.cancel();
    m_data_wake.cancel();
}

void ChannelRelay::close_channel()
{
    if (m_close_sent || m_finished || m_channel_gone) {
        return;
    }
    m_close_sent = true;
    m_conn.close_channel(m_id);
    wake();
}

void ChannelRelay::maybe_close_channel()
{
    // RFC 4254 §5.3: both sides sent EOF and all data is delivered.
    if (m_socket_eof && m_output_done) {
        close_channel();
    }
}

net::awaitable<void> ChannelRelay::pump_to_channel()
{
    Bytes buffer(relay_read_size);  // the relay's one read buffer, reused
    while (!m_finished && !m_close_sent && !m_channel_gone) {
        // Flow control (RFC 4254 §5.2): read only what the peer's window
        // can take, so a fast socket is not buffered without bound.
        const size_t window = m_conn.send_window(m_id);
        if (window == 0) {
            co_await m_window_wake.async_wait(no_throw);
            continue;
        }
        auto [ec, n] = co_await m_socket.async_read_some(
            net::buffer(buffer.data(), std::min(window, buffer.size())), no_throw);
        if (m_finished || m_close_sent || m_channel_gone) {
            break;
        }
        if (ec) {
            // EOF (or a reset: nothing more will come either way).
            m_socket_eof = true;
            if (ec != net::error::eof) {
                m_output_done = true;  // a broken socket takes no more data
            }
            m_conn.send_eof(m_id);
            maybe_close_channel();
            wake();
            break;
        }
        ByteView rest(buffer.data(), n);
        while (!rest.empty() && !m_finished && !m_close_sent && !m_channel_gone) {
            const size_t sent = m_conn.send_data(m_id, rest);
            wake();
            rest = rest.subspan(sent);
            if (!rest.empty() && sent == 0) {
                co_await m_window_wake.async_wait(no_throw);
            }
        }
    }
}

net::awaitable<void> ChannelRelay::pump_to_socket()
{
    // on_data() appends to m_to_socket while a write may be in flight, so
    // the bytes being written live in `writing`; the two buffers swap and
    // keep their capacity (no allocation per chunk once warmed up).
    Bytes writing;
    size_t offset = 0;
    while (!m_finished) {
        if (offset == writing.size()) {
            writing.clear();
            offset = 0;
            writing.swap(m_to_socket);
        }
        if (writing.empty()) {
            if (m_channel_eof || m_channel_gone) {
                // RFC 4254 §5.3: the peer's EOF becomes a half-close.
                boost::system::error_code ignored;
                m_socket.shutdown(net::socket_base::shutdown_send, ignored);
                m_output_done = true;
                maybe_close_channel();
                break;
            }
            co_await m_data_wake.async_wait(no_throw);
            continue;
        }
        auto [ec, n] = co_await m_socket.async_write_some(
            net::buffer(writing.data() + offset, writing.size() - offset), no_throw);
        if (m_finished) {
            break;
        }
        if (ec) {
            // The socket cannot take more: discard what is buffered (still
            // consumed so the window stays consistent) and end the channel.
            m_output_done = true;
            if (!m_channel_gone) {
                m_conn.consume_channel_data(m_id, writing.size() - offset + m_to_socket.size());
            }
            m_to_socket.clear();
            close_channel();
            break;
        }
        offset += n;
        if (!m_channel_gone) {
            // Backpressure: reopen the window only for bytes the socket took.
            m_conn.consume_channel_data(m_id, n);
            wake();
        }
    }
    m_output_running = false;
    if (m_channel_gone) {
        finish();
    }
}

}  // namespace burrow::protocol::asio
