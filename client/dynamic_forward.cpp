// Each accepted SOCKS client goes through three stages: the handshake (read
// with a deadline), the direct-tcpip channel open (answered by the server),
// and the relay. The SOCKS reply is written only once the server has
// answered the open, so the client learns whether its target was reached.
#include "client/dynamic_forward.h"

#include <array>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

namespace burrow::client {

namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

std::string endpoint_text(const tcp::endpoint& e)
{
    return e.address().to_string() + ":" + std::to_string(e.port());
}

/// The addresses to listen on for `bind_address` (port left 0): loopback
/// and wildcard are both families whatever the resolver says about
/// "localhost" (/etc/hosts often lacks ::1), anything else is resolved.
std::vector<tcp::endpoint> listen_endpoints(const net::any_io_executor& executor,
                                            const std::string& bind_address, std::string& error)
{
    if (bind_address == "localhost") {
        return {tcp::endpoint(net::ip::address_v4::loopback(), 0),
                tcp::endpoint(net::ip::address_v6::loopback(), 0)};
    }
    if (bind_address.empty() || bind_address == "*") {
        return {tcp::endpoint(net::ip::address_v4::any(), 0),
                tcp::endpoint(net::ip::address_v6::any(), 0)};
    }
    tcp::resolver resolver(executor);
    boost::system::error_code ec;
    const auto results = resolver.resolve(
        bind_address, "0", tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec) {
        error = "cannot resolve " + bind_address + ": " + ec.message();
        return {};
    }
    std::vector<tcp::endpoint> endpoints;
    for (const auto& entry : results) {
        endpoints.push_back(entry.endpoint());
    }
    return endpoints;
}

/// The server's description of a failed open (RFC 4254 §5.1) as a SOCKS
/// outcome. Only the text reaches us; "connect failed" opens carry the
/// connect error, such as "Connection refused".
socks::Reply reply_for_open_failure(std::string_view reason)
{
    if (reason.find("refused") != std::string_view::npos) {
        return socks::Reply::connection_refused;
    }
    if (reason.find("unreachable") != std::string_view::npos) {
        return socks::Reply::host_unreachable;
    }
    return socks::Reply::general_failure;
}

/// Small replies to a fresh socket: its send buffer has room for them, so
/// the write does not wait.
bool write_small(tcp::socket& socket, const Bytes& bytes)
{
    boost::system::error_code ec;
    net::write(socket, net::buffer(bytes), ec);
    return !ec;
}

}  // namespace

struct DynamicForwarder::Client {
    explicit Client(tcp::socket s) : socket(std::move(s)), deadline(socket.get_executor()) {}
    tcp::socket socket;
    net::steady_timer deadline;
    socks::Handshake handshake;
    std::array<uint8_t, socks::max_handshake_bytes> buffer{};
    std::string originator_ip;
    uint16_t originator_port = 0;
};

DynamicForwarder::DynamicForwarder(const net::any_io_executor& executor, const Logger& log,
                                   Defer defer, std::chrono::milliseconds handshake_timeout)
    : m_executor(executor),
      m_log(log),
      m_defer(std::move(defer)),
      m_handshake_timeout(handshake_timeout)
{
}

DynamicForwarder::~DynamicForwarder()
{
    *m_alive = false;
    close_all();
}

std::optional<uint16_t> DynamicForwarder::listen(const std::string& bind_address, uint16_t port,
                                                 std::string& error)
{
    const std::vector<tcp::endpoint> endpoints = listen_endpoints(m_executor, bind_address, error);
    uint16_t bound = port;
    bool any = false;
    boost::system::error_code ec;
    for (tcp::endpoint endpoint : endpoints) {
        endpoint.port(bound);  // port 0: every address gets the first one's port
        auto acceptor = std::make_shared<Acceptor>(m_executor);
        acceptor->open(endpoint.protocol(), ec);
        if (!ec) {
            acceptor->set_option(net::socket_base::reuse_address(true), ec);
            if (endpoint.address().is_v6()) {
                // "::" must not take the IPv4 wildcard the next entry binds.
                acceptor->set_option(net::ip::v6_only(true), ec);
            }
            acceptor->bind(endpoint, ec);
        }
        if (!ec) {
            acceptor->listen(net::socket_base::max_listen_connections, ec);
        }
        if (ec) {
            error = "bind " + endpoint_text(endpoint) + ": " + ec.message();
            m_log.debug1("dynamic forward: " + error);
            continue;
        }
        bound = acceptor->local_endpoint().port();
        any = true;
        m_log.debug1("Local forwarding listening on " + endpoint.address().to_string() + " port " +
                     std::to_string(bound) + ".");
        m_acceptors.push_back(acceptor);
        accept_next(acceptor);
    }
    if (!any) {
        return std::nullopt;
    }
    return bound;
}

bool DynamicForwarder::cancel(uint16_t port)
{
    bool found = false;
    std::erase_if(m_acceptors, [port, &found](const std::shared_ptr<Acceptor>& a) {
        boost::system::error_code ec;
        if (a->local_endpoint(ec).port() != port || ec) {
            return false;
        }
        a->close(ec);
        found = true;
        return true;
    });
    return found;
}

void DynamicForwarder::accept_next(const std::shared_ptr<Acceptor>& acceptor)
{
    acceptor->async_accept(
        [this, alive = m_alive, acceptor](const boost::system::error_code& ec, tcp::socket s) {
            if (!*alive || !acceptor->is_open()) {
                return;
            }
            if (ec && ec != net::error::connection_aborted) {
                // Out of descriptors or similar: stop this listener rather
                // than spin on an error that will not go away.
                m_log.error("dynamic forward: accept: " + ec.message());
                return;
            }
            if (!ec) {
                start_handshake(std::make_shared<Client>(std::move(s)));
            }
            accept_next(acceptor);
        });
}

void DynamicForwarder::start_handshake(std::shared_ptr<Client> client)
{
    boost::system::error_code ec;
    const tcp::endpoint peer = client->socket.remote_endpoint(ec);
    if (ec) {
        return;  // already gone
    }
    client->originator_ip = peer.address().to_string();
    client->originator_port = peer.port();
    std::erase_if(m_handshaking, [](const auto& weak) { return weak.expired(); });
    m_handshaking.push_back(client);
    client->deadline.expires_after(m_handshake_timeout);
    client->deadline.async_wait(
        [weak = std::weak_ptr<Client>(client)](const boost::system::error_code& e) {
            const auto c = weak.lock();
            if (!e && c) {
                boost::system::error_code ignored;
                c->socket.close(ignored);  // the pending read ends with an error
            }
        });
    client->socket.async_read_some(
        net::buffer(client->buffer),
        [this, alive = m_alive, client](const boost::system::error_code& e, size_t n) {
            if (*alive && !e) {
                on_handshake_read(client, n);
            }
        });
}

void DynamicForwarder::on_handshake_read(const std::shared_ptr<Client>& client, size_t n)
{
    socks::Handshake& hs = client->handshake;
    const socks::Handshake::State state = hs.feed(ByteView(client->buffer.data(), n));
    const Bytes out = hs.take_output();
    boost::system::error_code ignored;
    if ((!out.empty() && !write_small(client->socket, out)) ||
        state == socks::Handshake::State::failed) {
        if (state == socks::Handshake::State::failed) {
            m_log.debug1("dynamic forward from " + client->originator_ip + ": " + hs.failure());
        }
        client->socket.close(ignored);
        return;
    }
    if (state == socks::Handshake::State::request_ready) {
        client->deadline.cancel();
        open_channel(client);
        return;
    }
    client->socket.async_read_some(
        net::buffer(client->buffer),
        [this, alive = m_alive, client](const boost::system::error_code& e, size_t got) {
            if (*alive && !e) {
                on_handshake_read(client, got);
            }
        });
}

void DynamicForwarder::open_channel(const std::shared_ptr<Client>& client)
{
    m_log.debug1("dynamic forward: connect to " + client->handshake.host() + " port " +
                 std::to_string(client->handshake.port()) + " for " + client->originator_ip);
    m_defer([this, alive = m_alive, client] {
        if (!*alive || m_conn == nullptr) {
            return;
        }
        const socks::Handshake& hs = client->handshake;
        // RFC 4254 §7.2: host and port to connect, then who asked.
        const std::optional<protocol::ChannelId> id = m_conn->open_direct_tcpip(
            hs.host(), hs.port(), client->originator_ip, client->originator_port);
        if (!id) {
            m_log.info("dynamic forward: too many channels");
            write_small(client->socket, hs.reply_bytes(socks::Reply::general_failure));
            boost::system::error_code ignored;
            client->socket.close(ignored);
            return;
        }
        m_opening[*id] = client;
    });
}

bool DynamicForwarder::on_open_result(protocol::ChannelId id, bool ok, std::string_view reason)
{
    const auto found = m_opening.find(id);
    if (found == m_opening.end()) {
        return false;
    }
    const std::shared_ptr<Client> client = found->second;
    m_opening.erase(found);
    socks::Handshake& hs = client->handshake;
    if (!ok) {
        m_log.info("channel " + std::to_string(id) + ": open failed: " + std::string(reason));
        write_small(client->socket, hs.reply_bytes(reply_for_open_failure(reason)));
        boost::system::error_code ignored;
        client->socket.close(ignored);
        return true;
    }
    // If the client already left, the write fails and so will the relay's
    // first read: the relay then closes the channel in the usual way.
    write_small(client->socket, hs.reply_bytes(socks::Reply::success));
    auto relay = std::make_shared<protocol::asio::ChannelRelay>(
        protocol::asio::ChannelRelay::Socket(std::move(client->socket)), *m_conn, id,
        [this] { m_defer([] {}); });
    m_relays[id] = Relayed{relay, hs.take_leftover(), false};
    m_defer([this, alive = m_alive, id] {
        if (*alive) {
            flush_leftover(id);
        }
    });
    return true;
}

void DynamicForwarder::flush_leftover(protocol::ChannelId id)
{
    const auto found = m_relays.find(id);
    if (found == m_relays.end() || found->second.started) {
        return;
    }
    Bytes& leftover = found->second.leftover;
    while (!leftover.empty()) {
        const size_t sent = m_conn->send_data(id, leftover);
        if (sent == 0) {
            return;  // the rest goes when the window opens
        }
        leftover.erase(leftover.begin(), leftover.begin() + static_cast<ptrdiff_t>(sent));
    }
    found->second.started = true;
    found->second.relay->start();
}

bool DynamicForwarder::on_data(protocol::ChannelId id, ByteView data)
{
    const auto found = m_relays.find(id);
    if (found == m_relays.end()) {
        return false;
    }
    found->second.relay->on_data(data);
    return true;
}

bool DynamicForwarder::on_eof(protocol::ChannelId id)
{
    const auto found = m_relays.find(id);
    if (found == m_relays.end()) {
        return false;
    }
    found->second.relay->on_eof();
    return true;
}

bool DynamicForwarder::on_window_available(protocol::ChannelId id)
{
    const auto found = m_relays.find(id);
    if (found == m_relays.end()) {
        return false;
    }
    if (found->second.started) {
        found->second.relay->on_window_available();
    } else {
        m_defer([this, alive = m_alive, id] {
            if (*alive) {
                flush_leftover(id);
            }
        });
    }
    return true;
}

bool DynamicForwarder::on_closed(protocol::ChannelId id)
{
    const auto found = m_relays.find(id);
    if (found == m_relays.end()) {
        return false;
    }
    // The id is free from now on; the relay may still write what it holds.
    const std::shared_ptr<protocol::asio::ChannelRelay> relay = found->second.relay;
    m_relays.erase(found);
    std::erase_if(m_draining, [](const auto& weak) { return weak.expired(); });
    m_draining.push_back(relay);
    relay->on_closed();
    return true;
}

void DynamicForwarder::close_all()
{
    boost::system::error_code ignored;
    for (const auto& acceptor : m_acceptors) {
        acceptor->close(ignored);
    }
    m_acceptors.clear();
    for (const auto& weak : m_handshaking) {
        if (const auto client = weak.lock()) {
            client->deadline.cancel();
            client->socket.close(ignored);
        }
    }
    m_handshaking.clear();
    for (auto& [id, client] : m_opening) {
        client->socket.close(ignored);
    }
    m_opening.clear();
    for (auto& [id, relayed] : m_relays) {
        relayed.relay->shutdown();
    }
    m_relays.clear();
    for (const auto& weak : m_draining) {
        if (const auto relay = weak.lock()) {
            relay->shutdown();
        }
    }
    m_draining.clear();
}

}  // namespace burrow::client
