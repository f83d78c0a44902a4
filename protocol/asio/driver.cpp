// Asio driver for the sans-I/O core. Three coroutines share one strand-free
// io_context thread: the reader feeds received bytes, the writer flushes
// pending output, the deadline loop keeps the core's timer armed. They meet
// through m_wake, a timer that never expires on its own and that notify()
// cancels to make every waiter re-check its condition. Because everything
// runs on one thread and a loop checks its condition and starts waiting with
// no suspension in between, no wake-up can be lost.
#include "protocol/asio/driver.h"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <chrono>

namespace burrow::protocol::asio {

namespace {

namespace net = boost::asio;

/// Completion token turning errors into values: `auto [ec, n] = co_await ...`.
constexpr auto no_throw = net::as_tuple(net::use_awaitable);

/// Read size per syscall; lives in the reader's coroutine frame (one allocation).
constexpr size_t read_buffer_size = 64 * 1024;

net::steady_timer::time_point to_time_point(Millis t)
{
    return net::steady_timer::time_point(
        std::chrono::duration_cast<net::steady_timer::duration>(t));
}

}  // namespace

Driver::Driver(boost::asio::ip::tcp::socket& socket, Connection& conn)
    : m_socket_stream(std::in_place, socket),
      m_stream(*m_socket_stream),
      m_conn(conn),
      m_wake(socket.get_executor(), net::steady_timer::time_point::max()),
      m_deadline(socket.get_executor(), net::steady_timer::time_point::max())
{
}

Driver::Driver(ByteStream& stream, Connection& conn)
    : m_stream(stream),
      m_conn(conn),
      m_wake(stream.get_executor(), net::steady_timer::time_point::max()),
      m_deadline(stream.get_executor(), net::steady_timer::time_point::max())
{
}

Millis Driver::now()
{
    return std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now().time_since_epoch());
}

void Driver::notify()
{
    // Cancelling wakes every loop blocked on a timer; the expiry stays at
    // max (m_wake) or is re-armed by the deadline loop (m_deadline).
    m_wake.cancel();
    m_deadline.cancel();
}

boost::asio::awaitable<void> Driver::run()
{
    using net::experimental::awaitable_operators::operator&&;
    m_conn.start(now());
    co_await (read_loop() && write_loop() && deadline_loop());
    m_stream.close();
}

boost::asio::awaitable<void> Driver::read_loop()
{
    std::array<uint8_t, read_buffer_size> buffer;
    while (!m_done && !m_conn.is_closed()) {
        if (!m_conn.wants_input()) {
            co_await m_wake.async_wait(no_throw);
            continue;
        }
        auto [ec, n] = co_await m_stream.async_read_some(net::buffer(buffer), no_throw);
        if (m_done) {
            break;  // the writer closed the socket: nothing more to report
        }
        if (ec) {
            // EOF or a socket error: either way the peer is gone.
            m_conn.feed_eof(ec == net::error::eof ? std::string() : "read: " + ec.message());
            notify();
            break;
        }
        m_conn.feed(ByteView(buffer.data(), n));
        notify();
    }
}

boost::asio::awaitable<void> Driver::write_loop()
{
    while (!m_done) {
        if (!m_conn.pending_output().empty()) {
            // Take the bytes out of the core: the reader may feed (and the
            // core append output) while this write is suspended.
            Bytes out = m_conn.take_output();
            auto [ec, n] = co_await net::async_write(m_stream, net::buffer(out), no_throw);
            m_conn.recycle_output(std::move(out));
            if (ec) {
                // The peer cannot receive anything more: stop everything.
                m_done = true;
                if (!m_conn.is_closed()) {
                    m_conn.feed_eof("write: " + ec.message());
                }
                break;
            }
            notify();
            continue;
        }
        if (m_conn.is_closed()) {
            break;
        }
        co_await m_wake.async_wait(no_throw);
    }
    // Final output is written (or cannot be): end the stream, which also
    // aborts the reader's pending read.
    m_done = true;
    m_stream.shutdown();
    notify();
}

boost::asio::awaitable<void> Driver::deadline_loop()
{
    while (!m_done && !m_conn.is_closed()) {
        const std::optional<Millis> deadline = m_conn.next_deadline();
        m_deadline.expires_at(deadline ? to_time_point(*deadline)
                                       : net::steady_timer::time_point::max());
        auto [ec] = co_await m_deadline.async_wait(no_throw);
        if (ec || m_done) {
            continue;  // notify(): the deadline may have moved, re-arm
        }
        m_conn.on_deadline(now());
        notify();
    }
}

}  // namespace burrow::protocol::asio
