#include "server/forwarding_sockets.h"

#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/ip/v6_only.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace burrow::server {

namespace {

/// Fresh tries for a port-0 forward whose port is busy on the other family.
constexpr int max_port_zero_attempts = 8;

namespace net = boost::asio;
using tcp = net::ip::tcp;

/// sockaddr_un's sun_path holds at most this many bytes with the NUL.
constexpr size_t max_socket_path = 108;

/// Open, bind and listen one acceptor; the caller holds AsUser.
bool bind_one(tcp::acceptor& acceptor, const tcp::endpoint& endpoint, std::string& error)
{
    boost::system::error_code ec;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) {
        acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    }
    if (!ec && endpoint.address().is_v6()) {
        // The IPv4 listener is separate: keep the families apart.
        acceptor.set_option(net::ip::v6_only(true), ec);
    }
    if (!ec) {
        acceptor.bind(endpoint, ec);
    }
    if (!ec) {
        acceptor.listen(net::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        error = endpoint.address().to_string() + " port " + std::to_string(endpoint.port()) + ": " +
                ec.message();
        boost::system::error_code ignored;
        acceptor.close(ignored);
        return false;
    }
    return true;
}

}  // namespace

AsUser::AsUser(const UserInfo& user)
{
    if (geteuid() != 0 || user.uid == 0) {
        return;
    }
    // gid first: once the uid is not 0 the gid cannot be changed any more.
    if (setegid(user.gid) != 0) {
        m_ok = false;
        return;
    }
    if (seteuid(user.uid) != 0) {
        if (setegid(0) != 0) {
            std::abort();
        }
        m_ok = false;
        return;
    }
    m_switched = true;
}

AsUser::~AsUser()
{
    if (m_switched) {
        // Regaining root from a saved uid of 0 cannot fail; if it did the
        // process must not go on with the wrong identity.
        if (seteuid(0) != 0 || setegid(0) != 0) {
            std::abort();
        }
    }
}

std::optional<TcpListeners> bind_tcp_listeners(const net::any_io_executor& executor,
                                               const BindChoice& choice, uint16_t port,
                                               const UserInfo& user, std::string& error)
{
    std::vector<net::ip::address> addresses;
    if (choice.kind == BindKind::loopback) {
        addresses = {net::ip::address_v4::loopback(), net::ip::address_v6::loopback()};
    } else if (choice.kind == BindKind::wildcard) {
        addresses = {net::ip::address_v4::any(), net::ip::address_v6::any()};
    } else {
        boost::system::error_code ec;
        const net::ip::address address = net::ip::make_address(choice.address, ec);
        if (ec) {
            // Names other than "localhost" would need a (blocking) lookup.
            error = "cannot listen on \"" + choice.address + "\": not a numeric address";
            return std::nullopt;
        }
        addresses = {address};
    }
    const AsUser as_user(user);
    if (!as_user.ok()) {
        error = std::string("cannot switch to the user: ") + std::strerror(errno);
        return std::nullopt;
    }
    TcpListeners out;
    // RFC 4254 §7.1 port 0: the first family picks the port and the second
    // follows; when that port is taken on the second family, start over with
    // a new one (bounded), so both families listen on the port we announce.
    for (int attempt = 0; attempt < max_port_zero_attempts; ++attempt) {
        out = TcpListeners{};
        out.port = port;
        error.clear();
        for (const net::ip::address& address : addresses) {
            tcp::acceptor acceptor(executor);
            std::string why;
            if (bind_one(acceptor, tcp::endpoint(address, out.port), why)) {
                out.port = acceptor.local_endpoint().port();
                out.acceptors.push_back(std::move(acceptor));
            } else if (error.empty()) {
                error = why;
            }
        }
        if (port != 0 || out.acceptors.size() == addresses.size()) {
            break;
        }
    }
    if (out.acceptors.empty()) {
        return std::nullopt;
    }
    error.clear();  // one family is enough (hosts without IPv6)
    return out;
}

std::optional<net::local::stream_protocol::acceptor> bind_unix_listener(
    const net::any_io_executor& executor, const std::string& path, const UserInfo& user,
    mode_t mask, bool unlink_first, std::string& error)
{
    if (path.empty() || path.size() >= max_socket_path) {
        error = "bad socket path \"" + path + "\"";
        return std::nullopt;
    }
    const AsUser as_user(user);
    if (!as_user.ok()) {
        error = std::string("cannot switch to the user: ") + std::strerror(errno);
        return std::nullopt;
    }
    if (unlink_first) {
        // sshd_config(5) StreamLocalBindUnlink: only a socket is removed.
        struct stat st {};
        if (lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) {
            ::unlink(path.c_str());
        }
    }
    net::local::stream_protocol::acceptor acceptor(executor);
    boost::system::error_code ec;
    acceptor.open(net::local::stream_protocol(), ec);
    if (!ec) {
        // umask is process-wide: set only around bind(), restored at once.
        const mode_t old_mask = ::umask(mask);
        acceptor.bind(net::local::stream_protocol::endpoint(path), ec);
        ::umask(old_mask);
    }
    if (!ec) {
        acceptor.listen(net::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        error = path + ": " + ec.message();
        return std::nullopt;
    }
    return acceptor;
}

void unlink_as_user(const std::string& path, const UserInfo& user)
{
    const AsUser as_user(user);
    struct stat st {};
    if (as_user.ok() && lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) {
        ::unlink(path.c_str());
    }
}

std::optional<net::local::stream_protocol::socket> connect_unix_as_user(
    const net::any_io_executor& executor, const std::string& path, const UserInfo& user,
    std::string& error)
{
    if (path.empty() || path.size() >= max_socket_path) {
        error = "bad socket path \"" + path + "\"";
        return std::nullopt;
    }
    const AsUser as_user(user);
    if (!as_user.ok()) {
        error = std::string("cannot switch to the user: ") + std::strerror(errno);
        return std::nullopt;
    }
    // A Unix connect completes or fails at once: no need to wait for it.
    net::local::stream_protocol::socket socket(executor);
    boost::system::error_code ec;
    socket.connect(net::local::stream_protocol::endpoint(path), ec);
    if (ec) {
        error = path + ": " + ec.message();
        return std::nullopt;
    }
    return socket;
}

}  // namespace burrow::server
