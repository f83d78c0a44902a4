// The one Asio driver: runs a sans-I/O protocol::Connection over a byte
// stream (a TCP socket, or a pair of pipes for burrowd -i) with C++20
// coroutines. Reads feed the core, pending output is written, and the core's
// deadline is armed on a steady timer. Both binaries use it.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <optional>

#include "protocol/asio/byte_stream.h"
#include "protocol/connection.h"

namespace burrow::protocol::asio {

/// Drives one Connection over one byte stream until the connection closes.
class Driver {
public:
    /// `socket` and `conn` must outlive the driver.
    Driver(boost::asio::ip::tcp::socket& socket, Connection& conn);
    /// `stream` and `conn` must outlive the driver.
    Driver(ByteStream& stream, Connection& conn);

    /// Calls conn.start(now) and runs the read, write and deadline loops.
    /// Completes once the connection is closed and all output is written
    /// (or the socket failed: then conn sees feed_eof()).
    boost::asio::awaitable<void> run();

    /// Tell the driver that commands were issued outside an event callback
    /// (e.g. data read from a child's pipe): output or input readiness may
    /// have changed. Cheap; safe to call often.
    void notify();

    /// Current time on the driver's clock, in the core's units.
    static Millis now();

private:
    boost::asio::awaitable<void> read_loop();
    boost::asio::awaitable<void> write_loop();
    boost::asio::awaitable<void> deadline_loop();

    std::optional<ByteStream> m_socket_stream;  ///< set by the socket constructor
    ByteStream& m_stream;
    Connection& m_conn;
    boost::asio::steady_timer m_wake;      ///< wakes the writer / reader
    boost::asio::steady_timer m_deadline;  ///< the core's next deadline
    bool m_done = false;
};

}  // namespace burrow::protocol::asio
