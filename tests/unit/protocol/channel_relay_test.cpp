// ChannelRelay end to end: a client and a server core, each run by its own
// Driver over loopback TCP in one io_context; one channel between them with
// a relay on each end, each relay attached to one end of a Unix socketpair.
// Bytes written into one far end must come out of the other, both ways,
// with each EOF passed on and the channel closed once both are done.
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/connect_pair.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "crypto/keys.h"
#include "crypto/rng.h"
#include "protocol/asio/channel_relay.h"
#include "protocol/asio/driver.h"
#include "protocol/connection.h"

namespace {

namespace net = boost::asio;
namespace protocol = burrow::protocol;
using burrow::Bytes;
using burrow::ByteView;
using protocol::asio::ChannelRelay;
using UnixSocket = net::local::stream_protocol::socket;

constexpr auto no_throw = net::as_tuple(net::use_awaitable);

/// One end: a connection whose single extra channel is relayed to `relay_socket`.
struct End : protocol::EventHandler {
    End(net::io_context& io, protocol::Role role, burrow::crypto::Rng& rng,
        const burrow::crypto::PrivateKey& key, UnixSocket relay_end)
        : tcp(io), relay_socket(std::move(relay_end)), user_key(key)
    {
        protocol::Config config;
        config.role = role;
        config.rng = &rng;
        if (role == protocol::Role::server) {
            config.host_keys = {&key};
        }
        conn.emplace(config, *this);
    }

    void attach() { driver.emplace(tcp, *conn); }

    void make_relay(protocol::ChannelId id)
    {
        relay = std::make_shared<ChannelRelay>(
            ChannelRelay::Socket(std::move(relay_socket)), *conn, id, [this] { driver->notify(); },
            [this](protocol::ChannelId) { ++finished; });
        relay->start();
    }

    void on_host_key(const protocol::HostKeyCheck&) override { conn->accept_host_key(true); }
    void on_auth_ready() override { conn->auth_publickey("relay", user_key); }
    void on_auth_request(const protocol::AuthRequest&) override { conn->answer_auth(true); }
    void on_auth_result(const protocol::AuthResult& r) override
    {
        if (r.success) {
            conn->open_channel("relay-test@burrow");
        }
    }
    void on_channel_open_request(const protocol::ChannelOpenRequest& r) override
    {
        conn->accept_channel(r.id);
        if (abort_channels) {
            conn->close_channel(r.id);  // the peer gives up on the channel at once
            return;
        }
        make_relay(r.id);
    }
    void on_channel_open_result(protocol::ChannelId id, bool ok, std::string_view) override
    {
        if (ok) {
            make_relay(id);
        }
    }
    void on_channel_data(protocol::ChannelId id, ByteView d) override
    {
        if (relay) {
            relay->on_data(d);
        } else {
            conn->consume_channel_data(id, d.size());
        }
    }
    void on_channel_eof(protocol::ChannelId) override
    {
        if (relay) {
            relay->on_eof();
        }
    }
    void on_window_available(protocol::ChannelId) override
    {
        if (relay) {
            relay->on_window_available();
        }
    }
    void on_channel_closed(protocol::ChannelId) override
    {
        if (relay) {
            relay->on_closed();
        }
        conn->disconnect(protocol::DisconnectReason::by_application, "done");
    }

    net::ip::tcp::socket tcp;
    UnixSocket relay_socket;
    const burrow::crypto::PrivateKey& user_key;
    std::optional<protocol::Connection> conn;
    std::optional<protocol::asio::Driver> driver;
    std::shared_ptr<ChannelRelay> relay;
    int finished = 0;
    bool abort_channels = false;
};

Bytes pattern(size_t size, uint8_t seed)
{
    Bytes out(size);
    for (size_t i = 0; i < size; ++i) {
        out[i] = static_cast<uint8_t>((i * 131 + seed) ^ (i >> 12));
    }
    return out;
}

/// Index of the first byte where `got` differs from `want` (want.size() if none).
size_t first_difference(const Bytes& got, const Bytes& want)
{
    const size_t n = std::min(got.size(), want.size());
    for (size_t i = 0; i < n; ++i) {
        if (got[i] != want[i]) {
            return i;
        }
    }
    return got.size() == want.size() ? want.size() : n;
}

/// Writes `data` into `socket`, then half-closes it.
net::awaitable<void> send_all(UnixSocket& socket, const Bytes& data, bool& done)
{
    co_await net::async_write(socket, net::buffer(data), no_throw);
    boost::system::error_code ignored;
    socket.shutdown(net::socket_base::shutdown_send, ignored);
    done = true;
}

/// Reads `socket` to EOF into `out`.
net::awaitable<void> receive_all(UnixSocket& socket, Bytes& out, bool& eof)
{
    Bytes chunk(64 * 1024);
    for (;;) {
        auto [ec, n] = co_await socket.async_read_some(net::buffer(chunk), no_throw);
        if (ec) {
            eof = ec == net::error::eof;
            break;
        }
        out.insert(out.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(n));
    }
}

}  // namespace

TEST_CASE("ChannelRelay moves megabytes both ways with EOF in each direction", "[channel-relay]")
{
    net::io_context io;
    auto rng_c = burrow::crypto::make_seeded_rng(1);
    auto rng_s = burrow::crypto::make_seeded_rng(2);
    auto key_rng = burrow::crypto::make_seeded_rng(3);
    const auto host_key = burrow::crypto::generate_ed25519(*key_rng);
    const auto user_key = burrow::crypto::generate_ed25519(*key_rng);

    UnixSocket client_far(io), client_near(io), server_far(io), server_near(io);
    net::local::connect_pair(client_far, client_near);
    net::local::connect_pair(server_far, server_near);

    End client(io, protocol::Role::client, *rng_c, *user_key, std::move(client_near));
    End server(io, protocol::Role::server, *rng_s, *host_key, std::move(server_near));
    net::ip::tcp::acceptor acceptor(io, {net::ip::make_address("127.0.0.1"), 0});
    client.tcp.connect(acceptor.local_endpoint());
    acceptor.accept(server.tcp);
    client.attach();
    server.attach();

    // Different sizes, neither a multiple of the read size or window.
    const Bytes upstream = pattern(3 * 1024 * 1024 + 4321, 7);
    const Bytes downstream = pattern(2 * 1024 * 1024 + 999, 11);
    Bytes got_up, got_down;
    bool up_sent = false, down_sent = false, up_eof = false, down_eof = false;
    net::co_spawn(io, client.driver->run(), net::detached);
    net::co_spawn(io, server.driver->run(), net::detached);
    net::co_spawn(io, send_all(client_far, upstream, up_sent), net::detached);
    net::co_spawn(io, send_all(server_far, downstream, down_sent), net::detached);
    net::co_spawn(io, receive_all(server_far, got_up, up_eof), net::detached);
    net::co_spawn(io, receive_all(client_far, got_down, down_eof), net::detached);

    // Bounded: both connections end once the channel is closed.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!io.stopped() && std::chrono::steady_clock::now() < deadline) {
        io.run_for(std::chrono::milliseconds(100));
    }
    REQUIRE(io.stopped());

    CHECK(up_sent);
    CHECK(down_sent);
    CHECK(up_eof);
    CHECK(down_eof);
    CHECK(got_up.size() == upstream.size());
    CHECK(first_difference(got_up, upstream) == upstream.size());
    CHECK(got_down.size() == downstream.size());
    CHECK(first_difference(got_down, downstream) == downstream.size());
    REQUIRE(client.relay);
    REQUIRE(server.relay);
    CHECK(client.finished == 1);
    CHECK(server.finished == 1);
    CHECK(client.relay->finished());
    CHECK(server.relay->finished());
}

TEST_CASE("ChannelRelay closes its socket when the peer closes the channel", "[channel-relay]")
{
    net::io_context io;
    auto rng_c = burrow::crypto::make_seeded_rng(4);
    auto rng_s = burrow::crypto::make_seeded_rng(5);
    auto key_rng = burrow::crypto::make_seeded_rng(6);
    const auto host_key = burrow::crypto::generate_ed25519(*key_rng);
    const auto user_key = burrow::crypto::generate_ed25519(*key_rng);

    UnixSocket client_far(io), client_near(io), server_far(io), server_near(io);
    net::local::connect_pair(client_far, client_near);
    net::local::connect_pair(server_far, server_near);
    End client(io, protocol::Role::client, *rng_c, *user_key, std::move(client_near));
    End server(io, protocol::Role::server, *rng_s, *host_key, std::move(server_near));
    server.abort_channels = true;
    net::ip::tcp::acceptor acceptor(io, {net::ip::make_address("127.0.0.1"), 0});
    client.tcp.connect(acceptor.local_endpoint());
    acceptor.accept(server.tcp);
    client.attach();
    server.attach();

    Bytes got;
    bool eof = false;
    net::co_spawn(io, client.driver->run(), net::detached);
    net::co_spawn(io, server.driver->run(), net::detached);
    net::co_spawn(io, receive_all(client_far, got, eof), net::detached);

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!io.stopped() && std::chrono::steady_clock::now() < deadline) {
        io.run_for(std::chrono::milliseconds(100));
    }
    REQUIRE(io.stopped());
    // The local program sees the stream end, and the relay reports it is over.
    CHECK(eof);
    CHECK(got.empty());
    REQUIRE(client.relay);
    CHECK(client.relay->finished());
    CHECK(client.finished == 1);
}
