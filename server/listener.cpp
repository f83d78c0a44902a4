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

#include "server/connection_outcome.h"
#include "server/log.h"
#include "server/proc_title.h"
#include "server/service_notify.h"

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

/// "[ADDR]:PORT" as sshd's drop messages write endpoints.
std::string bracketed(const tcp::endpoint& ep)
{
    const std::optional<SourceAddress> a = SourceAddress::parse(ep.address().to_string());
    return "[" + (a ? a->to_string() : ep.address().to_string()) + "]:" + std::to_string(ep.port());
}

/// "#N from [ADDR]:PORT on [LADDR]:LPORT" for a refused connection.
std::string drop_text(const tcp::socket& socket, unsigned startups)
{
    boost::system::error_code ec;
    const tcp::endpoint remote = socket.remote_endpoint(ec);
    const tcp::endpoint local = socket.local_endpoint(ec);
    return "drop connection #" + std::to_string(startups) + " from " + bracketed(remote) + " on " +
           bracketed(local);
}

}  // namespace

Listener::Listener(net::io_context& io, const std::vector<ListenEndpoint>& endpoints,
                   const DaemonSettings& settings, AddressFamily family)
    : m_io(io),
      m_signals(io, SIGCHLD, SIGTERM, SIGINT),
      m_settings(settings),
      m_source_startups(settings.per_source_max_startups, settings.net_block_size),
      m_penalties(settings.penalties, settings.net_block_size, settings.penalty_exempt),
      m_random(std::random_device{}())
{
    boost::system::error_code ignored;
    m_signals.add(SIGHUP, ignored);
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
            const tcp protocol = entry.endpoint().protocol();
            if ((family == AddressFamily::inet && protocol != tcp::v4()) ||
                (family == AddressFamily::inet6 && protocol != tcp::v6())) {
                continue;  // AddressFamily excludes it
            }
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
    update_title();
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

bool Listener::admit(const tcp::socket& socket, const SourceAddress& source)
{
    const auto now = std::chrono::steady_clock::now();
    if (const std::optional<std::string> reason = m_penalties.refusal(source, now)) {
        log_info(drop_text(socket, m_startups) + " penalty: " + *reason);
        return false;
    }
    // MaxStartups: refuse early with a probability that rises with the
    // number of unauthenticated connections (sshd_config(5)).
    std::uniform_int_distribution<unsigned> draw(0, startup_drop_scale - 1);
    if (should_drop_startup(m_settings.max_startups, m_startups, draw(m_random))) {
        ++m_dropped;
        log_info(drop_text(socket, m_startups) + " past MaxStartups");
        return false;
    }
    if (!m_source_startups.allows(source)) {
        log_info(drop_text(socket, m_startups) + " past PerSourceMaxStartups");
        return false;
    }
    return true;
}

bool Listener::fork_for(tcp::socket& socket, const SourceAddress& source)
{
    // The startup pipe: the child writes a byte when it authenticates and
    // closes it when it ends, so either way the listener stops counting it.
    int fds[2] = {-1, -1};
    if (pipe2(fds, O_CLOEXEC) != 0) {
        log_error(std::string("pipe: ") + std::strerror(errno));
        return false;
    }
    m_io.notify_fork(net::execution_context::fork_prepare);
    const pid_t pid = fork();
    if (pid == 0) {
        // The child gets its own event loop state before touching any
        // I/O object, so nothing it does disturbs the parent's epoll set.
        m_io.notify_fork(net::execution_context::fork_child);
        close(fds[0]);
        set_startup_pipe(fds[1]);
        boost::system::error_code ec;
        for (auto& [other, child] : m_children) {
            child.startup_pipe->close(ec);  // other connections' pipes
        }
        const tcp protocol = socket.local_endpoint(ec).protocol();
        m_accepted = AcceptedSocket{socket.release(), protocol};
        stop_accepting();
        return true;
    }
    m_io.notify_fork(net::execution_context::fork_parent);
    close(fds[1]);
    boost::system::error_code ignored;
    socket.close(ignored);  // the child owns the connection now
    if (pid < 0) {
        log_error(std::string("fork: ") + std::strerror(errno));
        close(fds[0]);
        return false;
    }
    auto pipe = std::make_shared<net::posix::stream_descriptor>(m_io, fds[0]);
    m_children[pid] = Child{source, true, pipe};
    ++m_startups;
    m_source_startups.add(source);
    net::co_spawn(m_io, watch_startup(pid, pipe), net::detached);
    update_throttling();
    update_title();
    return false;
}

net::awaitable<void> Listener::watch_startup(pid_t pid,
                                             std::shared_ptr<net::posix::stream_descriptor> pipe)
{
    char byte = 0;
    auto [ec, n] = co_await pipe->async_read_some(net::buffer(&byte, 1), no_throw);
    if (ec == net::error::operation_aborted || m_stopping) {
        co_return;
    }
    end_startup(pid);
}

void Listener::end_startup(pid_t pid)
{
    const auto it = m_children.find(pid);
    if (it == m_children.end() || !it->second.unauthenticated) {
        return;
    }
    it->second.unauthenticated = false;
    --m_startups;
    m_source_startups.remove(it->second.source);
    update_throttling();
    update_title();
}

void Listener::update_throttling()
{
    const auto now = std::chrono::steady_clock::now();
    const bool throttling = m_startups >= m_settings.max_startups.start;
    if (throttling && !m_throttling_since) {
        m_throttling_since = now;
        m_dropped = 0;
        log_info("beginning MaxStartups throttling");
    } else if (!throttling && m_throttling_since) {
        const auto seconds =
            std::chrono::duration_cast<std::chrono::seconds>(now - *m_throttling_since).count();
        log_info("exited MaxStartups throttling after " + std::to_string(seconds) + " s, " +
                 std::to_string(m_dropped) + " connections dropped");
        m_throttling_since.reset();
    }
}

void Listener::update_title()
{
    if (m_single) {
        return;
    }
    const StartupLimits& l = m_settings.max_startups;
    set_proc_title(saved_command_line() + " [listener] " + std::to_string(m_startups) + " of " +
                   std::to_string(l.start) + "-" + std::to_string(l.full) + " startups");
}

void Listener::child_exited(pid_t pid, int status)
{
    const auto it = m_children.find(pid);
    if (it == m_children.end()) {
        return;  // forked before a SIGHUP re-execution: not tracked
    }
    end_startup(pid);
    const SourceAddress source = it->second.source;
    boost::system::error_code ignored;
    it->second.startup_pipe->close(ignored);
    m_children.erase(it);
    if (WIFSIGNALED(status)) {
        log_info("connection process " + std::to_string(pid) + " for " + source.to_string() +
                 " killed by signal " + std::to_string(WTERMSIG(status)));
    }
    if (const std::optional<PenaltyKind> kind = penalty_for_wait_status(status)) {
        const std::string line =
            m_penalties.penalise(source, *kind, std::chrono::steady_clock::now());
        if (!line.empty()) {
            log_verbose("PerSourcePenalties: " + line);
        }
    }
}

void Listener::reap_children()
{
    int status = 0;
    pid_t pid = 0;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        child_exited(pid, status);
    }
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
        boost::system::error_code peer_ec;
        const tcp::endpoint remote = socket.remote_endpoint(peer_ec);
        const std::optional<SourceAddress> source =
            peer_ec ? std::nullopt : SourceAddress::parse(remote.address().to_string());
        if (!source || !admit(socket, *source)) {
            boost::system::error_code ignored;
            socket.close(ignored);
            continue;
        }
        if (fork_for(socket, *source)) {
            break;
        }
    }
}

void Listener::on_reload_signal()
{
    log_info("Received SIGHUP; restarting.");
    if (m_reload_check) {
        if (const std::optional<std::string> error = m_reload_check()) {
            log_error("not restarting, the new configuration is broken: " + *error);
            return;
        }
    }
    service_notify("RELOADING=1");
    m_restart = true;
    stop_accepting();
}

net::awaitable<void> Listener::watch_signals()
{
    while (!m_stopping) {
        auto [ec, signal] = co_await m_signals.async_wait(no_throw);
        if (ec || m_stopping) {
            break;
        }
        if (signal == SIGCHLD) {
            reap_children();
            continue;
        }
        if (signal == SIGHUP) {
            on_reload_signal();
            continue;
        }
        log_info("Received signal " + std::to_string(signal) + "; terminating.");
        service_notify("STOPPING=1");
        stop_accepting();
    }
}

void reexecute_self()
{
    const std::vector<std::string>& args = saved_argv();
    if (args.empty()) {
        log_error("cannot restart: command line unknown");
        return;
    }
    std::vector<char*> argv;
    for (const std::string& a : args) {
        argv.push_back(const_cast<char*>(a.c_str()));
    }
    argv.push_back(nullptr);
    // /proc/self/exe: the binary this process runs, even if argv[0] is relative.
    execv("/proc/self/exe", argv.data());
    log_error(std::string("cannot restart: exec: ") + std::strerror(errno));
}

}  // namespace burrow::server
