#include "server/listener.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "server/log.h"

namespace burrow::server {

namespace {

namespace net = boost::asio;
using net::ip::tcp;

constexpr auto no_throw = net::as_tuple(net::use_awaitable);

/// Pause after a failed accept (e.g. out of descriptors) before retrying.
constexpr auto accept_retry_delay = std::chrono::milliseconds(100);

std::string endpoint_text(const tcp::endpoint& ep)
{
    return ep.address().to_string() + " port " + std::to_string(ep.port());
}

}  // namespace

Listener::Listener(net::io_context& io, const std::vector<ListenEndpoint>& endpoints)
    : m_io(io), m_signals(io, SIGCHLD, SIGTERM, SIGINT)
{
    for (const ListenEndpoint& ep : endpoints) {
        if (ep.host.empty()) {
            // No ListenAddress: every IPv4 and IPv6 address.
            bind(tcp::endpoint(tcp::v4(), ep.port));
            bind(tcp::endpoint(tcp::v6(), ep.port));
            continue;
        }
        boost::system::error_code ec;
        tcp::resolver resolver(m_io);
        const tcp::resolver::results_type results =
            resolver.resolve(ep.host, std::to_string(ep.port),
                             tcp::resolver::passive | tcp::resolver::numeric_service, ec);
        if (ec) {
            log_error("bad ListenAddress \"" + ep.host + "\": " + ec.message());
            continue;
        }
        for (const auto& entry : results) {
            bind(entry.endpoint());
        }
    }
}

void Listener::bind(const tcp::endpoint& endpoint)
{
    auto acceptor = std::make_unique<tcp::acceptor>(m_io);
    boost::system::error_code ec;
    acceptor->open(endpoint.protocol(), ec);
    if (!ec) {
        acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
    }
    if (!ec && endpoint.protocol() == tcp::v6()) {
        // Keep IPv4 on its own socket so addresses are never v4-mapped.
        acceptor->set_option(net::ip::v6_only(true), ec);
    }
    if (!ec) {
        acceptor->bind(endpoint, ec);
    }
    if (!ec) {
        acceptor->listen(net::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        log_error("Bind to port " + std::to_string(endpoint.port()) + " on " +
                  endpoint.address().to_string() + " failed: " + ec.message() + ".");
        return;
    }
    log_info("Server listening on " + endpoint_text(endpoint) + ".");
    m_acceptors.push_back(std::move(acceptor));
}

bool Listener::daemonize()
{
    m_io.notify_fork(net::execution_context::fork_prepare);
    const pid_t pid = fork();
    if (pid < 0) {
        m_io.notify_fork(net::execution_context::fork_parent);
        log_error(std::string("fork: ") + std::strerror(errno));
        return false;
    }
    if (pid > 0) {
        _exit(0);
    }
    m_io.notify_fork(net::execution_context::fork_child);
    setsid();
    [[maybe_unused]] const int rc = chdir("/");
    const int null_fd = open("/dev/null", O_RDWR);
    if (null_fd >= 0) {
        dup2(null_fd, STDIN_FILENO);
        dup2(null_fd, STDOUT_FILENO);
        dup2(null_fd, STDERR_FILENO);
        if (null_fd > STDERR_FILENO) {
            close(null_fd);
        }
    }
    return true;
}

std::optional<AcceptedSocket> Listener::run(bool single_connection)
{
    m_single = single_connection;
    for (const auto& acceptor : m_acceptors) {
        net::co_spawn(m_io, accept_loop(*acceptor), net::detached);
    }
    net::co_spawn(m_io, watch_signals(), net::detached);
    m_io.run();
    return m_accepted;
}

void Listener::stop_accepting()
{
    m_stopping = true;
    boost::system::error_code ignored;
    for (const auto& acceptor : m_acceptors) {
        acceptor->close(ignored);
    }
    m_signals.cancel(ignored);
    m_io.stop();
}

bool Listener::fork_for(tcp::socket& socket)
{
    m_io.notify_fork(net::execution_context::fork_prepare);
    const pid_t pid = fork();
    if (pid == 0) {
        // The child gets its own event loop state before touching any
        // I/O object, so nothing it does disturbs the parent's epoll set.
        m_io.notify_fork(net::execution_context::fork_child);
        boost::system::error_code ec;
        const tcp protocol = socket.local_endpoint(ec).protocol();
        m_accepted = AcceptedSocket{socket.release(), protocol};
        stop_accepting();
        return true;
    }
    m_io.notify_fork(net::execution_context::fork_parent);
    if (pid < 0) {
        log_error(std::string("fork: ") + std::strerror(errno));
    }
    boost::system::error_code ignored;
    socket.close(ignored);  // the child owns the connection now
    return false;
}

net::awaitable<void> Listener::accept_loop(tcp::acceptor& acceptor)
{
    while (!m_stopping) {
        auto [ec, socket] = co_await acceptor.async_accept(no_throw);
        if (m_stopping || ec == net::error::operation_aborted) {
            break;
        }
        if (ec) {
            log_error("accept: " + ec.message());
            net::steady_timer pause(m_io, accept_retry_delay);
            co_await pause.async_wait(no_throw);
            continue;
        }
        if (m_single) {
            // sshd -d: serve this one connection in this process.
            boost::system::error_code ignored;
            const tcp protocol = socket.local_endpoint(ignored).protocol();
            m_accepted = AcceptedSocket{socket.release(), protocol};
            stop_accepting();
            break;
        }
        if (fork_for(socket)) {
            break;
        }
    }
}

net::awaitable<void> Listener::watch_signals()
{
    while (!m_stopping) {
        auto [ec, signal] = co_await m_signals.async_wait(no_throw);
        if (ec || m_stopping) {
            break;
        }
        if (signal == SIGCHLD) {
            // Reap connection children; their exit status is not needed.
            while (waitpid(-1, nullptr, WNOHANG) > 0) {
            }
            continue;
        }
        log_info("Received signal " + std::to_string(signal) + "; terminating.");
        stop_accepting();
    }
}

}  // namespace burrow::server
