#include "server/serve.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <exception>

#include "crypto/rng.h"
#include "server/auth_progress.h"
#include "server/connection_handler.h"
#include "server/log.h"

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

}  // namespace

int serve_connection(const AcceptedSocket& accepted, const ServerConfig& config,
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
    const tcp::endpoint remote = socket.remote_endpoint(ec);
    const tcp::endpoint local = socket.local_endpoint(ec);
    // Small interactive writes should not wait for Nagle's algorithm.
    socket.set_option(tcp::no_delay(true), ec);
    const PeerInfo peer{address_text(remote.address()), remote.port(),
                        address_text(local.address()), local.port()};
    log_info("Connection from " + peer.ip + " port " + std::to_string(peer.port) + " on " +
             peer.local_ip + " port " + std::to_string(peer.local_port));

    const std::unique_ptr<crypto::Rng> rng = crypto::make_system_rng();
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
    protocol_config.rng = rng.get();
    // Authentication policy (sshd_config(5)): offered methods follow
    // PubkeyAuthentication/PasswordAuthentication/KbdInteractiveAuthentication
    // and the first factor of each AuthenticationMethods list.
    protocol_config.auth_methods =
        AuthProgress(config.auth.authentication_methods, enabled_auth_methods(config.auth))
            .offered();
    protocol_config.max_auth_tries = config.auth.max_auth_tries;
    // LoginGraceTime 0 means no limit, which the core takes as a zero grace time.
    protocol_config.login_grace_time = protocol::Millis(config.auth.login_grace_time);

    int exit_code = 0;
    ConnectionHandler handler(socket, config, std::move(protocol_config), peer);
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
    return exit_code;
}

}  // namespace burrow::server
