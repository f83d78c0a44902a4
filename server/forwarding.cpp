#include "server/forwarding.h"

#include <boost/asio/connect.hpp>

#include "server/log.h"

namespace burrow::server {

namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using UnixAcceptor = net::local::stream_protocol::acceptor;

/// RFC 4254 §5.1 reason codes.
constexpr uint32_t open_administratively_prohibited = 1;
constexpr uint32_t open_connect_failed = 2;

}  // namespace

PortForwarding::PortForwarding(const net::any_io_executor& executor, protocol::Connection& conn,
                               protocol::asio::Driver& driver, const ForwardingSettings& settings,
                               const UserInfo& user, const KeyOptions& key_options,
                               std::string peer_text)
    : m_executor(executor),
      m_conn(conn),
      m_driver(driver),
      m_settings(settings),
      m_user(user),
      m_policy(settings, key_options.port_forwarding, key_options.permit_open,
               key_options.permit_listen, user.uid),
      m_peer_text(std::move(peer_text))
{
}

PortForwarding::~PortForwarding()
{
    stop();
}

bool PortForwarding::on_open_request(const protocol::ChannelOpenRequest& request)
{
    if (request.type == "direct-tcpip") {
        direct_tcpip(request);
    } else if (request.type == "direct-streamlocal@openssh.com") {
        direct_streamlocal(request);
    } else if (request.type == "forwarded-tcpip" ||
               request.type == "forwarded-streamlocal@openssh.com") {
        // RFC 4254 §7.2: only the server opens these.
        log_info("refused " + request.type + " channel opened by the client from " + m_peer_text);
        m_conn.reject_channel(request.id, open_administratively_prohibited,
                              "only the server opens " + request.type + " channels");
    } else {
        return false;
    }
    return true;
}

void PortForwarding::direct_tcpip(const protocol::ChannelOpenRequest& request)
{
    const std::string origin = "originator " + request.originator_ip + " port " +
                               std::to_string(request.originator_port) + ", target " +
                               request.host + " port " + std::to_string(request.port);
    const std::string refused = m_policy.check_open(request.host, request.port);
    if (!refused.empty()) {
        log_info("refused local port forward: " + origin + " (" + refused + ")");
        m_conn.reject_channel(request.id, open_administratively_prohibited,
                              "port forwarding refused: " + refused);
        return;
    }
    log_verbose("direct-tcpip: " + origin);
    // RFC 4254 §7.2: the open is confirmed only once connected. Lookup and
    // connect run asynchronously; the event loop keeps serving the rest.
    const protocol::ChannelId id = request.id;
    const std::string target = request.host + " port " + std::to_string(request.port);
    auto resolver = std::make_shared<tcp::resolver>(m_executor);
    auto socket = std::make_shared<tcp::socket>(m_executor);
    std::weak_ptr<bool> alive = m_alive;
    const auto fail = [this, id, target](const boost::system::error_code& ec) {
        log_info("connect_to " + target + ": failed: " + ec.message());
        m_conn.reject_channel(id, open_connect_failed, ec.message());
        m_driver.notify();
    };
    resolver->async_resolve(
        request.host, std::to_string(request.port),
        [this, resolver, socket, alive, fail, id](const boost::system::error_code& ec,
                                                  const tcp::resolver::results_type& results) {
            if (alive.expired()) {
                return;
            }
            if (ec) {
                fail(ec);
                return;
            }
            net::async_connect(*socket, results,
                               [this, socket, alive, fail, id](
                                   const boost::system::error_code& error, const tcp::endpoint&) {
                                   if (alive.expired()) {
                                       return;
                                   }
                                   if (error) {
                                       fail(error);
                                       return;
                                   }
                                   m_conn.accept_channel(id);
                                   relay(id, Relay::Socket(std::move(*socket)));
                                   m_driver.notify();
                               });
        });
}

void PortForwarding::direct_streamlocal(const protocol::ChannelOpenRequest& request)
{
    const std::string refused = m_policy.check_streamlocal_open();
    if (!refused.empty()) {
        log_info("refused streamlocal port forward: originator " + m_peer_text + ", target " +
                 request.socket_path + " (" + refused + ")");
        m_conn.reject_channel(request.id, open_administratively_prohibited,
                              "streamlocal forwarding refused: " + refused);
        return;
    }
    std::string error;
    std::optional<net::local::stream_protocol::socket> socket =
        connect_unix_as_user(m_executor, request.socket_path, m_user, error);
    if (!socket) {
        log_info("connect_to " + request.socket_path + ": failed: " + error);
        m_conn.reject_channel(request.id, open_connect_failed, error);
        return;
    }
    log_debug("direct-streamlocal: " + request.socket_path);
    m_conn.accept_channel(request.id);
    relay(request.id, Relay::Socket(std::move(*socket)));
}

bool PortForwarding::on_global_request(const protocol::GlobalRequest& request, bool& taken)
{
    bool ok = false;
    std::optional<uint32_t> bound;
    if (request.name == "tcpip-forward") {
        ok = tcpip_forward(request, bound);
    } else if (request.name == "cancel-tcpip-forward") {
        ok = cancel_tcpip_forward(request);
    } else if (request.name == "streamlocal-forward@openssh.com") {
        ok = streamlocal_forward(request);
    } else if (request.name == "cancel-streamlocal-forward@openssh.com") {
        ok = cancel_streamlocal_forward(request);
    } else {
        return false;
    }
    // Answered now, in order (RFC 4254 §4); nothing to answer without want_reply.
    taken = request.want_reply;
    if (taken) {
        m_conn.reply_global_request(ok, bound);
    }
    return true;
}

bool PortForwarding::tcpip_forward(const protocol::GlobalRequest& request,
                                   std::optional<uint32_t>& bound)
{
    const std::string listen =
        "listen host \"" + request.bind_address + "\" port " + std::to_string(request.port);
    const std::string refused = m_policy.check_listen(request.bind_address, request.port);
    if (!refused.empty()) {
        log_info("refused remote port forward for " + m_user.name + " from " + m_peer_text + ": " +
                 listen + " (" + refused + ")");
        return false;
    }
    const BindChoice choice = choose_bind(m_settings.gateway_ports, request.bind_address);
    std::string error;
    std::optional<TcpListeners> bound_listeners =
        bind_tcp_listeners(m_executor, choice, static_cast<uint16_t>(request.port), m_user, error);
    if (!bound_listeners) {
        log_info("remote port forward for " + m_user.name + ": " + listen + ": " + error);
        return false;
    }
    Listener listener;
    listener.requested_address = request.bind_address;
    listener.port = bound_listeners->port;
    for (tcp::acceptor& acceptor : bound_listeners->acceptors) {
        listener.tcp.push_back(std::make_shared<tcp::acceptor>(std::move(acceptor)));
    }
    log_verbose("remote port forward for " + m_user.name + ": " + listen + " bound to port " +
                std::to_string(listener.port));
    for (const auto& acceptor : listener.tcp) {
        accept_tcp(acceptor, listener.requested_address, listener.port);
    }
    if (request.port == 0) {
        bound = listener.port;  // RFC 4254 §7.1
    }
    m_listeners.push_back(std::move(listener));
    return true;
}

bool PortForwarding::cancel_tcpip_forward(const protocol::GlobalRequest& request)
{
    // RFC 4254 §7.1: the address and port of the original request (the
    // bound port for a port-0 forward).
    for (auto it = m_listeners.begin(); it != m_listeners.end(); ++it) {
        if (!it->tcp.empty() && it->requested_address == request.bind_address &&
            it->port == request.port) {
            close_listener(*it);
            m_listeners.erase(it);
            log_verbose("cancelled remote port forward: listen host \"" + request.bind_address +
                        "\" port " + std::to_string(request.port));
            return true;
        }
    }
    log_info("cancel-tcpip-forward for an unknown forward: listen host \"" + request.bind_address +
             "\" port " + std::to_string(request.port));
    return false;
}

bool PortForwarding::streamlocal_forward(const protocol::GlobalRequest& request)
{
    const std::string refused = m_policy.check_streamlocal_listen();
    if (!refused.empty()) {
        log_info("refused streamlocal remote forward for " + m_user.name + ": " +
                 request.socket_path + " (" + refused + ")");
        return false;
    }
    std::string error;
    std::optional<UnixAcceptor> acceptor = bind_unix_listener(
        m_executor, request.socket_path, m_user, m_settings.stream_local_bind_mask,
        m_settings.stream_local_bind_unlink, error);
    if (!acceptor) {
        log_info("streamlocal remote forward for " + m_user.name + ": " + error);
        return false;
    }
    Listener listener;
    listener.path = request.socket_path;
    listener.unix_acceptor = std::make_shared<UnixAcceptor>(std::move(*acceptor));
    accept_unix(listener.unix_acceptor, listener.path);
    log_verbose("streamlocal remote forward for " + m_user.name + " on " + listener.path);
    m_listeners.push_back(std::move(listener));
    return true;
}

bool PortForwarding::cancel_streamlocal_forward(const protocol::GlobalRequest& request)
{
    for (auto it = m_listeners.begin(); it != m_listeners.end(); ++it) {
        if (it->unix_acceptor && it->path == request.socket_path) {
            close_listener(*it);
            unlink_as_user(it->path, m_user);
            m_listeners.erase(it);
            return true;
        }
    }
    log_info("cancel-streamlocal-forward for an unknown forward: " + request.socket_path);
    return false;
}

void PortForwarding::accept_tcp(std::shared_ptr<tcp::acceptor> acceptor, std::string address,
                                uint16_t port)
{
    std::weak_ptr<bool> alive = m_alive;
    acceptor->async_accept([this, alive, acceptor, address, port](
                               const boost::system::error_code& ec, tcp::socket socket) {
        if (alive.expired() || !acceptor->is_open()) {
            return;  // cancelled or stopped: `this` may be gone
        }
        if (!ec) {
            boost::system::error_code peer_ec;
            const tcp::endpoint peer = socket.remote_endpoint(peer_ec);
            // RFC 4254 §7.2: the forward as requested, and who connected.
            const std::optional<protocol::ChannelId> id = m_conn.open_forwarded_tcpip(
                address, port, peer_ec ? "" : peer.address().to_string(),
                peer_ec ? 0 : peer.port());
            m_driver.notify();
            if (id) {
                log_debug("forwarded-tcpip: connection on port " + std::to_string(port) +
                          ", channel " + std::to_string(*id));
                m_pending.emplace(*id, Relay::Socket(std::move(socket)));
            } else {
                log_info("forwarded connection on port " + std::to_string(port) +
                         " dropped: no channel available");
            }
        }
        accept_tcp(acceptor, address, port);
    });
}

void PortForwarding::accept_unix(std::shared_ptr<UnixAcceptor> acceptor, std::string path)
{
    std::weak_ptr<bool> alive = m_alive;
    acceptor->async_accept([this, alive, acceptor, path](const boost::system::error_code& ec,
                                                         net::local::stream_protocol::socket s) {
        if (alive.expired() || !acceptor->is_open()) {
            return;
        }
        if (!ec) {
            const std::optional<protocol::ChannelId> id = m_conn.open_forwarded_streamlocal(path);
            m_driver.notify();
            if (id) {
                m_pending.emplace(*id, Relay::Socket(std::move(s)));
            }
        }
        accept_unix(acceptor, path);
    });
}

void PortForwarding::relay(protocol::ChannelId id, Relay::Socket socket)
{
    auto relay =
        std::make_shared<Relay>(std::move(socket), m_conn, id, [this] { m_driver.notify(); });
    m_relays.add(relay);
    relay->start();
}

bool PortForwarding::on_open_result(protocol::ChannelId id, bool ok, std::string_view reason)
{
    const auto found = m_pending.find(id);
    if (found == m_pending.end()) {
        return false;
    }
    Relay::Socket socket = std::move(found->second);
    m_pending.erase(found);
    if (!ok) {
        log_debug("forwarded channel " + std::to_string(id) +
                  " refused by the client: " + std::string(reason));
        return true;  // `socket` closes
    }
    relay(id, std::move(socket));
    return true;
}

bool PortForwarding::on_data(protocol::ChannelId id, ByteView data)
{
    return m_relays.on_data(id, data);
}

bool PortForwarding::on_eof(protocol::ChannelId id)
{
    return m_relays.on_eof(id);
}

bool PortForwarding::on_window_available(protocol::ChannelId id)
{
    return m_relays.on_window_available(id);
}

bool PortForwarding::on_closed(protocol::ChannelId id)
{
    if (m_relays.on_closed(id)) {
        return true;
    }
    return m_pending.erase(id) > 0;
}

void PortForwarding::close_listener(Listener& listener)
{
    boost::system::error_code ignored;
    for (const auto& acceptor : listener.tcp) {
        acceptor->close(ignored);
    }
    if (listener.unix_acceptor) {
        listener.unix_acceptor->close(ignored);
    }
}

void PortForwarding::stop()
{
    m_alive = std::make_shared<bool>(true);  // pending handlers see theirs expire
    for (Listener& listener : m_listeners) {
        close_listener(listener);
        if (listener.unix_acceptor) {
            unlink_as_user(listener.path, m_user);
        }
    }
    m_listeners.clear();
    m_pending.clear();
    m_relays.shutdown_all();
}

}  // namespace burrow::server
