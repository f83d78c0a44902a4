// The parent process: accept on every listen address and fork a child per
// connection, so a crash or a memory blow-up stays in one connection.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <memory>
#include <optional>
#include <vector>

#include "server/config.h"

namespace burrow::server {

/// A connection handed to the child (or, with -d, to the same process).
struct AcceptedSocket {
    int fd = -1;
    boost::asio::ip::tcp protocol = boost::asio::ip::tcp::v4();
};

class Listener final {
public:
    /// Binds every endpoint; logs the ones that fail. Check bound_count().
    Listener(boost::asio::io_context& io, const std::vector<ListenEndpoint>& endpoints);
    size_t bound_count() const { return m_acceptors.size(); }

    /// Fork the process into the background (setsid, stdio to /dev/null);
    /// the original process exits. Returns false if fork failed.
    bool daemonize();

    /// Accept connections. In the parent this returns only on SIGTERM/SIGINT
    /// (nullopt). In a forked child, or after the first connection when
    /// `single_connection` (sshd -d), it returns the accepted socket.
    std::optional<AcceptedSocket> run(bool single_connection);

private:
    boost::asio::awaitable<void> accept_loop(boost::asio::ip::tcp::acceptor& acceptor);
    boost::asio::awaitable<void> watch_signals();
    void bind(const boost::asio::ip::tcp::endpoint& endpoint);
    /// Fork for one accepted connection; true in the child.
    bool fork_for(boost::asio::ip::tcp::socket& socket);
    void stop_accepting();

    boost::asio::io_context& m_io;
    std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> m_acceptors;
    boost::asio::signal_set m_signals;
    bool m_single = false;
    bool m_stopping = false;
    std::optional<AcceptedSocket> m_accepted;
};

}  // namespace burrow::server
