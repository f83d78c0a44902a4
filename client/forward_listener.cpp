// Listening sockets for -L / -D; see client/forward_listener.h.
#include "client/forward_listener.h"

#include <unistd.h>

#include <boost/asio/basic_socket_acceptor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <cstring>

namespace burrow::client {

namespace {

using Acceptor = boost::asio::basic_socket_acceptor<boost::asio::generic::stream_protocol>;
using GenericEndpoint = boost::asio::generic::stream_protocol::endpoint;

/// Listen backlog (as a typical SOMAXCONN).
constexpr int listen_backlog = 128;

/// A TCP endpoint for "ADDR" literals; host names resolve through the resolver.
std::vector<boost::asio::ip::tcp::endpoint> resolve_bind(const boost::asio::any_io_executor& ex,
                                                         const std::string& address, uint16_t port,
                                                         std::string& error)
{
    std::vector<boost::asio::ip::tcp::endpoint> endpoints;
    boost::system::error_code ec;
    const auto literal = boost::asio::ip::make_address(address, ec);
    if (!ec) {
        endpoints.emplace_back(literal, port);
        return endpoints;
    }
    boost::asio::ip::tcp::resolver resolver(ex);
    const auto results = resolver.resolve(address, std::to_string(port),
                                          boost::asio::ip::tcp::resolver::passive, ec);
    if (ec) {
        error = "bind [" + address + "]:" + std::to_string(port) + ": " + ec.message();
        return endpoints;
    }
    for (const auto& entry : results) {
        endpoints.push_back(entry.endpoint());
    }
    return endpoints;
}

Originator originator_of(const GenericEndpoint& endpoint)
{
    const int family = endpoint.data()->sa_family;
    if (family != AF_INET && family != AF_INET6) {
        return {"UNKNOWN", 0};
    }
    boost::asio::ip::tcp::endpoint tcp;
    std::memcpy(tcp.data(), endpoint.data(), std::min(endpoint.size(), tcp.capacity()));
    tcp.resize(endpoint.size());
    return {tcp.address().to_string(), tcp.port()};
}

}  // namespace

std::vector<std::string> local_bind_addresses(const std::optional<std::string>& listen_host,
                                              bool gateway_ports)
{
    const std::vector<std::string> all = {"0.0.0.0", "::"};
    const std::vector<std::string> loopback = {"127.0.0.1", "::1"};
    if (!listen_host) {
        return gateway_ports ? all : loopback;
    }
    if (listen_host->empty() || *listen_host == "*") {
        return all;
    }
    if (*listen_host == "localhost") {
        return loopback;
    }
    return {*listen_host};
}

struct ForwardListener::State : std::enable_shared_from_this<ForwardListener::State> {
    State(const boost::asio::any_io_executor& ex, Accepted cb)
        : executor(ex), accepted(std::move(cb))
    {
    }

    void accept_next(Acceptor& acceptor)
    {
        auto self = shared_from_this();
        acceptor.async_accept(
            [self, &acceptor](const boost::system::error_code& ec, Socket socket) {
                if (self->closed || ec == boost::asio::error::operation_aborted) {
                    return;
                }
                if (!ec) {
                    boost::system::error_code peer_ec;
                    const GenericEndpoint peer = socket.remote_endpoint(peer_ec);
                    const Originator who = peer_ec ? Originator{"UNKNOWN", 0} : originator_of(peer);
                    self->accepted(std::move(socket), who);
                }
                // Transient errors (EMFILE, ECONNABORTED) must not end the listener.
                self->accept_next(acceptor);
            });
    }

    boost::asio::any_io_executor executor;
    Accepted accepted;
    std::vector<std::unique_ptr<Acceptor>> acceptors;
    std::string unix_path;  ///< the socket file we created
    bool closed = false;
};

ForwardListener::ForwardListener(const boost::asio::any_io_executor& executor, Accepted accepted)
    : m_state(std::make_shared<State>(executor, std::move(accepted)))
{
}

ForwardListener::~ForwardListener()
{
    close();
}

std::optional<std::vector<std::string>> ForwardListener::open(const ForwardSpec& spec,
                                                              bool gateway_ports)
{
    std::vector<std::string> errors;
    if (spec.listens_on_path()) {
        auto acceptor = std::make_unique<Acceptor>(m_state->executor);
        const GenericEndpoint endpoint{
            boost::asio::local::stream_protocol::endpoint(spec.listen_path)};
        boost::system::error_code ec;
        acceptor->open(endpoint.protocol(), ec);
        if (!ec) {
            acceptor->bind(endpoint, ec);
        }
        if (!ec) {
            acceptor->listen(listen_backlog, ec);
        }
        if (ec) {
            errors.push_back("bind " + spec.listen_path + ": " + ec.message());
            return errors;
        }
        m_state->unix_path = spec.listen_path;
        m_state->acceptors.push_back(std::move(acceptor));
        return std::nullopt;
    }
    for (const std::string& address : local_bind_addresses(spec.listen_host, gateway_ports)) {
        std::string error;
        for (const auto& tcp : resolve_bind(m_state->executor, address, spec.listen_port, error)) {
            auto acceptor = std::make_unique<Acceptor>(m_state->executor);
            const GenericEndpoint endpoint{tcp};
            boost::system::error_code ec;
            acceptor->open(endpoint.protocol(), ec);
            if (!ec && tcp.address().is_v6()) {
                // "::" must not also take the IPv4 port bound next to it.
                acceptor->set_option(boost::asio::ip::v6_only(true), ec);
            }
            if (!ec) {
                acceptor->set_option(Acceptor::reuse_address(true), ec);
            }
            if (!ec) {
                acceptor->bind(endpoint, ec);
            }
            if (!ec) {
                acceptor->listen(listen_backlog, ec);
            }
            if (ec) {
                errors.push_back("bind [" + tcp.address().to_string() +
                                 "]:" + std::to_string(spec.listen_port) + ": " + ec.message());
                continue;
            }
            m_state->acceptors.push_back(std::move(acceptor));
        }
        if (!error.empty()) {
            errors.push_back(error);
        }
    }
    if (m_state->acceptors.empty()) {
        if (errors.empty()) {
            errors.push_back("bind: no address to listen on");
        }
        return errors;
    }
    return std::nullopt;
}

void ForwardListener::start()
{
    for (const auto& acceptor : m_state->acceptors) {
        m_state->accept_next(*acceptor);
    }
}

void ForwardListener::close()
{
    if (m_state->closed) {
        return;
    }
    m_state->closed = true;
    for (const auto& acceptor : m_state->acceptors) {
        boost::system::error_code ignored;
        acceptor->close(ignored);
    }
    if (!m_state->unix_path.empty()) {
        ::unlink(m_state->unix_path.c_str());
    }
}

}  // namespace burrow::client
