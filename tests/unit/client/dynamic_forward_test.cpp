// DynamicForwarder without an SSH connection: its listeners, the SOCKS
// handshake on accepted sockets, the handshake deadline, and cancel(). The
// channel open is the first thing that needs the connection: it is queued
// through Defer, which here only keeps it.
#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "client/dynamic_forward.h"

namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using burrow::client::DynamicForwarder;
using Clock = std::chrono::steady_clock;

constexpr auto short_timeout = std::chrono::milliseconds(1000);
/// Upper bound for anything the event loop is waited on for.
constexpr auto wait_limit = std::chrono::seconds(10);

struct Fixture {
    net::io_context io;
    burrow::client::Logger log{burrow::client::LogLevel::quiet};
    /// Deferred commands, kept (not run: there is no connection).
    std::vector<std::function<void()>> deferred;
    DynamicForwarder forwarder{
        io.get_executor(), log,
        [this](std::function<void()> action) { deferred.push_back(std::move(action)); },
        short_timeout};

    uint16_t listen(const std::string& bind)
    {
        std::string error;
        const std::optional<uint16_t> port = forwarder.listen(bind, 0, error);
        INFO(error);
        REQUIRE(port);
        REQUIRE(*port != 0);
        return *port;
    }

    /// Run the loop until `done` or the limit; false on the limit.
    bool run_until(const std::function<bool()>& done)
    {
        const auto end = Clock::now() + wait_limit;
        while (!done() && Clock::now() < end) {
            io.run_for(std::chrono::milliseconds(20));
            io.restart();
        }
        return done();
    }
};

/// A client socket whose reads complete into `got` / `ended`.
struct Peer {
    explicit Peer(net::io_context& io, const tcp::endpoint& to) : socket(io) { socket.connect(to); }
    void send(const std::string& bytes) { net::write(socket, net::buffer(bytes)); }
    void read()
    {
        socket.async_read_some(net::buffer(buffer), [this](boost::system::error_code ec, size_t n) {
            if (ec) {
                ended = true;
                return;
            }
            got.append(buffer.data(), n);
            read();
        });
    }
    tcp::socket socket;
    std::array<char, 256> buffer{};
    std::string got;
    bool ended = false;
};

tcp::endpoint v4(uint16_t port)
{
    return {net::ip::address_v4::loopback(), port};
}

const std::string socks5_request = std::string("\x05\x01\x00\x05\x01\x00\x03\x04host\x00\x50", 14);

}  // namespace

TEST_CASE("DynamicForwarder closes a client that says nothing, at the deadline", "[socks]")
{
    Fixture f;
    Peer peer(f.io, v4(f.listen("127.0.0.1")));
    peer.read();
    const auto start = Clock::now();
    REQUIRE(f.run_until([&] { return peer.ended; }));
    CHECK(Clock::now() - start >= short_timeout - std::chrono::milliseconds(100));
    CHECK(peer.got.empty());
    CHECK(f.deferred.empty());
}

TEST_CASE("DynamicForwarder: a complete request asks for a channel, the deadline stops", "[socks]")
{
    Fixture f;
    Peer peer(f.io, v4(f.listen("127.0.0.1")));
    peer.send(socks5_request);
    peer.read();
    REQUIRE(f.run_until([&] { return f.deferred.size() == 1; }));
    CHECK(peer.got == std::string("\x05\x00", 2));
    // Well past the handshake deadline, the client waits for the open.
    const auto end = Clock::now() + 2 * short_timeout;
    f.run_until([&] { return Clock::now() >= end; });
    CHECK_FALSE(peer.ended);
}

TEST_CASE("DynamicForwarder: garbage ends the connection at once", "[socks]")
{
    Fixture f;
    Peer peer(f.io, v4(f.listen("127.0.0.1")));
    peer.send("GET / HTTP/1.0\r\n\r\n");
    peer.read();
    const auto start = Clock::now();
    REQUIRE(f.run_until([&] { return peer.ended; }));
    CHECK(Clock::now() - start < short_timeout);
    CHECK(peer.got.empty());
    CHECK(f.deferred.empty());
}

TEST_CASE("DynamicForwarder: localhost is 127.0.0.1 and ::1 on one port; cancel", "[socks]")
{
    Fixture f;
    const uint16_t port = f.listen("localhost");
    // Kept to the end: their reads are pending in the loop.
    std::vector<std::unique_ptr<Peer>> peers;
    for (const tcp::endpoint& to :
         {v4(port), tcp::endpoint(net::ip::address_v6::loopback(), port)}) {
        INFO(to.address().to_string());
        Peer& peer = *peers.emplace_back(std::make_unique<Peer>(f.io, to));
        peer.send(socks5_request);
        peer.read();
        REQUIRE(f.run_until([&] { return peer.got.size() == 2; }));
    }
    CHECK(f.forwarder.cancel(port));
    CHECK_FALSE(f.forwarder.cancel(port));
    tcp::socket late(f.io);
    boost::system::error_code ec;
    late.connect(v4(port), ec);
    CHECK(ec == net::error::connection_refused);
}

TEST_CASE("DynamicForwarder: an address that cannot be bound is an error", "[socks]")
{
    Fixture f;
    std::string error;
    // TEST-NET-1 (RFC 5737) is never a local address.
    CHECK_FALSE(f.forwarder.listen("192.0.2.1", 0, error));
    CHECK_FALSE(error.empty());
}
