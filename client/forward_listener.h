// The local listening sockets of burrow's -L and -D forwardings: TCP on
// every address a bind specification names, or a Unix socket. Each accepted
// connection is handed to the owner with the peer's address (the
// "originator" of RFC 4254 §7.2).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/forward_spec.h"

namespace burrow::client {

/// Who connected to a listener.
struct Originator {
    std::string ip;  ///< "127.0.0.1", "::1"; "UNKNOWN" for Unix sockets
    uint16_t port = 0;
};

/// The addresses a local TCP listener binds (ssh(1) -L/-D and GatewayPorts):
/// no bind address means loopback, or every address with GatewayPorts; ""
/// and "*" mean every address, "localhost" loopback, anything else itself.
std::vector<std::string> local_bind_addresses(const std::optional<std::string>& listen_host,
                                              bool gateway_ports);

/// All the listening sockets of one forwarding.
class ForwardListener final {
public:
    using Socket = boost::asio::generic::stream_protocol::socket;
    using Accepted = std::function<void(Socket, const Originator&)>;

    ForwardListener(const boost::asio::any_io_executor& executor, Accepted accepted);
    ~ForwardListener();
    ForwardListener(const ForwardListener&) = delete;
    ForwardListener& operator=(const ForwardListener&) = delete;

    /// Bind and listen for `spec`'s listening side. On failure returns the
    /// messages to print (ssh's "bind [ADDR]:PORT: reason" lines) and
    /// nothing listens; succeeds if at least one address could be bound.
    std::optional<std::vector<std::string>> open(const ForwardSpec& spec, bool gateway_ports);
    /// Start accepting (after a successful open()).
    void start();
    /// Stop listening (a Unix socket file we created is removed).
    void close();

private:
    struct State;
    std::shared_ptr<State> m_state;
};

}  // namespace burrow::client
