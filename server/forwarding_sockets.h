// Sockets for port forwarding, created with the authenticated user's
// identity: remote-forward listeners (TCP per GatewayPorts, Unix with
// StreamLocalBindMask / StreamLocalBindUnlink) and direct-streamlocal
// connections. burrowd's per-connection process runs as root; the socket
// calls run under the user's effective uid/gid so the kernel applies the
// user's permissions (privileged ports, directory and socket file access).
#pragma once

#include <sys/types.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <optional>
#include <string>
#include <vector>

#include "server/forwarding_policy.h"
#include "server/user.h"

namespace burrow::server {

/// Switches the effective uid/gid to the user for its lifetime (only when
/// running as root; otherwise a no-op) and back to root afterwards.
class AsUser final {
public:
    explicit AsUser(const UserInfo& user);
    ~AsUser();
    AsUser(const AsUser&) = delete;
    AsUser& operator=(const AsUser&) = delete;
    /// False if the switch failed (then nothing must be done as the user).
    bool ok() const { return m_ok; }

private:
    bool m_switched = false;
    bool m_ok = true;
};

/// Listening TCP sockets of one remote forward.
struct TcpListeners {
    std::vector<boost::asio::ip::tcp::acceptor> acceptors;
    uint16_t port = 0;  ///< the bound port (the kernel's choice for port 0)
};

/// Bind `choice` on `port` as `user`: loopback = 127.0.0.1 and ::1,
/// wildcard = 0.0.0.0 and ::, both on the same port (the second family is
/// skipped if the host lacks it). nullopt with `error` set on failure.
std::optional<TcpListeners> bind_tcp_listeners(const boost::asio::any_io_executor& executor,
                                               const BindChoice& choice, uint16_t port,
                                               const UserInfo& user, std::string& error);

/// Listen on the Unix socket `path` as `user`, with umask `mask`; with
/// `unlink_first` an existing socket file there is removed first.
std::optional<boost::asio::local::stream_protocol::acceptor> bind_unix_listener(
    const boost::asio::any_io_executor& executor, const std::string& path, const UserInfo& user,
    mode_t mask, bool unlink_first, std::string& error);

/// Remove a forward's socket file as `user`.
void unlink_as_user(const std::string& path, const UserInfo& user);

/// Connect to the Unix socket `path` as `user`.
std::optional<boost::asio::local::stream_protocol::socket> connect_unix_as_user(
    const boost::asio::any_io_executor& executor, const std::string& path, const UserInfo& user,
    std::string& error);

}  // namespace burrow::server
