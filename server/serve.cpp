#include "server/serve.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/system_error.hpp>
#include <exception>
#include <memory>
#include <optional>
#include <string>

#include "crypto/rng.h"
#include "protocol/asio/byte_stream.h"
#include "server/auth_progress.h"
#include "server/connection_handler.h"
#include "server/connection_outcome.h"
#include "server/log.h"
#include "server/monitor.h"

namespace burrow::server {

namespace {

namespace net = boost::asio;
using net::ip::tcp;

/// Address text without the IPv4-mapped IPv6 form.
std::string address_text(const net::ip::address& address)
{
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
        return net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6()).to_string();
    }
    return address.to_string();
}

/// sshd(8) names a peer that is not a network socket (burrowd -i on pipes)
/// "UNKNOWN port 65535"; sessions see the same in SSH_CLIENT.
constexpr const char* unknown_address = "UNKNOWN";
constexpr uint16_t unknown_port = 65535;

protocol::Config make_protocol_config(const ServerConfig& config,
                                      const std::vector<const crypto::PrivateKey*>& host_keys,
                                      crypto::Rng& rng)
{
    protocol::Config protocol_config;
    protocol_config.role = protocol::Role::server;
    protocol_config.host_keys = host_keys;
    protocol_config.kex_algorithms = config.kex_algorithms;
    protocol_config.ciphers = config.ciphers;
    protocol_config.macs = config.macs;
    protocol_config.host_key_algorithms = config.host_key_algorithms;
    protocol_config.pubkey_algorithms = config.pubkey_algorithms;
    protocol_config.compression = config.compression;
    protocol_config.rekey_bytes = config.rekey_limit.bytes;
    protocol_config.rekey_interval = config.rekey_limit.interval;
    protocol_config.dh_groups = config.dh_groups;
    protocol_config.rng = &rng;
    // Authentication policy (sshd_config(5)): offered methods follow
    // PubkeyAuthentication/PasswordAuthentication/KbdInteractiveAuthentication
    // and the first factor of each AuthenticationMethods list.
    protocol_config.auth_methods =
        AuthProgress(config.auth.authentication_methods, enabled_auth_methods(config.auth))
            .offered();
    protocol_config.max_auth_tries = config.auth.max_auth_tries;
    // LoginGraceTime 0 means no limit, which the core takes as a zero grace time.
    protocol_config.login_grace_time = protocol::Millis(config.auth.login_grace_time);
    return protocol_config;
}

/// Serve one connection over `stream` (carried by the descriptors `fds`)
/// on `io` until it ends; the exit code (server/connection_outcome.h).
int run_connection(net::io_context& io, protocol::asio::ByteStream& stream,
                   const ServeContext& context,
                   const std::vector<const crypto::PrivateKey*>& host_keys, const PeerInfo& peer,
                   std::vector<int> fds)
{
    const ServerConfig& config = context.config;
    // sshd(8) logs the opening line at VERBOSE.
    log_verbose("Connection from " + peer.ip + " port " + std::to_string(peer.port) + " on " +
                peer.local_ip + " port " + std::to_string(peer.local_port));
    // The monitor is forked first, while this process has no threads yet
    // (server/monitor.h); only root needs one.
    int monitor_fd = -1;
    if (geteuid() == 0) {
        std::string error;
        io.notify_fork(net::execution_context::fork_prepare);
        monitor_fd = start_monitor(fds, peer.ip, error);  // returns in the child only
        io.notify_fork(monitor_fd >= 0 ? net::execution_context::fork_child
                                       : net::execution_context::fork_parent);
        if (monitor_fd < 0) {
            log_error("cannot start the monitor: " + error);
            return exit_connection_error;
        }
    }
    const std::unique_ptr<crypto::Rng> rng = crypto::make_system_rng();
    int exit_code = 0;
    ConnectionHandler handler(stream, config, make_protocol_config(config, host_keys, *rng), peer);
    handler.enable_match(context.options, context.source);
    handler.set_monitor(monitor_fd);
    net::co_spawn(io, handler.run(), [&](const std::exception_ptr& e) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                log_error(std::string("connection failed: ") + ex.what());
            }
            exit_code = 1;
        }
        io.stop();
    });
    io.run();
    return exit_code != 0 ? exit_code : handler.exit_status();
}

/// Serve a connected TCP socket.
int serve_socket(net::io_context& io, tcp::socket& socket, const ServeContext& context,
                 const std::vector<const crypto::PrivateKey*>& host_keys)
{
    boost::system::error_code ec;
    const tcp::endpoint remote = socket.remote_endpoint(ec);
    const tcp::endpoint local = socket.local_endpoint(ec);
    // Small interactive writes should not wait for Nagle's algorithm.
    socket.set_option(tcp::no_delay(true), ec);
    // sshd_config(5) TCPKeepAlive: the kernel notices a peer that vanished.
    socket.set_option(net::socket_base::keep_alive(context.config.tcp_keep_alive), ec);
    const PeerInfo peer{address_text(remote.address()), remote.port(),
                        address_text(local.address()), local.port()};
    protocol::asio::ByteStream stream(socket);
    return run_connection(io, stream, context, host_keys, peer, {socket.native_handle()});
}

/// Move `fd` to a new close-on-exec descriptor and put /dev/null in its
/// place (so a stray write to stdout cannot corrupt the stream, and session
/// children never inherit it). Returns the new descriptor, or -1.
int take_over(int fd)
{
    const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
    if (moved < 0) {
        return -1;
    }
    const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
        ::dup2(null, fd);  // dup2 clears close-on-exec on `fd`
        ::close(null);
    }
    return moved;
}

/// The TCP protocol of `fd` if it is an IPv4/IPv6 stream socket.
std::optional<tcp> tcp_protocol_of(int fd)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        return std::nullopt;  // ENOTSOCK: a pipe or a file
    }
    if (address.ss_family == AF_INET) {
        return tcp::v4();
    }
    if (address.ss_family == AF_INET6) {
        return tcp::v6();
    }
    return std::nullopt;  // e.g. a Unix socketpair: served like pipes
}

}  // namespace

int serve_connection(const AcceptedSocket& accepted, const ServeContext& context,
                     const std::vector<const crypto::PrivateKey*>& host_keys)
{
    net::io_context io;
    tcp::socket socket(io);
    boost::system::error_code ec;
    socket.assign(accepted.protocol, accepted.fd, ec);
    if (ec) {
        log_error("cannot use accepted socket: " + ec.message());
        return 1;
    }
    return serve_socket(io, socket, context, host_keys);
}

int serve_inetd(const ServeContext& context,
                const std::vector<const crypto::PrivateKey*>& host_keys)
{
    const int in = take_over(STDIN_FILENO);
    const int out = take_over(STDOUT_FILENO);
    if (in < 0 || out < 0) {
        log_error("cannot take over stdin/stdout for -i");
        return 1;
    }
    net::io_context io;
    if (const std::optional<tcp> protocol = tcp_protocol_of(in)) {
        // inetd: stdin and stdout are the same socket; one descriptor is enough.
        ::close(out);
        tcp::socket socket(io);
        boost::system::error_code ec;
        socket.assign(*protocol, in, ec);
        if (ec) {
            log_error("cannot use stdin socket: " + ec.message());
            return 1;
        }
        return serve_socket(io, socket, context, host_keys);
    }
    std::optional<protocol::asio::ByteStream> stream;
    try {
        stream.emplace(io.get_executor(), in, out);
    } catch (const boost::system::system_error& e) {
        log_error(std::string("cannot use stdin/stdout: ") + e.what());
        return 1;
    }
    const PeerInfo peer{unknown_address, unknown_port, unknown_address, unknown_port};
    return run_connection(io, *stream, context, host_keys, peer, {in, out});
}

}  // namespace burrow::server
