// The parent process: accept on every listen address and fork a child per
// connection, so a crash or a memory blow-up stays in one connection.
// It enforces MaxStartups, PerSourceMaxStartups and PerSourcePenalties
// (sshd_config(5)), and handles SIGHUP (re-execute), SIGTERM/SIGINT (stop).
#pragma once

#include <sys/types.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "server/config.h"
#include "server/penalties.h"
#include "server/startup_limits.h"

namespace burrow::server {

/// A connection handed to the child (or, with -d, to the same process).
struct AcceptedSocket {
    int fd = -1;
    boost::asio::ip::tcp protocol = boost::asio::ip::tcp::v4();
};

/// Checks the configuration before a SIGHUP restart: nullopt if it is usable,
/// else the error to log (the listener then keeps running as it is).
using ReloadCheck = std::function<std::optional<std::string>()>;

class Listener final {
public:
    /// Binds every endpoint; logs the ones that fail. Check bound_count().
    /// A host name binds the addresses it resolves to in `family`
    /// (sshd_config AddressFamily).
    Listener(boost::asio::io_context& io, const std::vector<ListenEndpoint>& endpoints,
             const DaemonSettings& settings, AddressFamily family = AddressFamily::any);
    size_t bound_count() const { return m_acceptors.size(); }

    /// Fork the process into the background (setsid, stdio to /dev/null);
    /// the original process exits. Returns false if fork failed.
    bool daemonize();

    void set_reload_check(ReloadCheck check) { m_reload_check = std::move(check); }

    /// Accept connections. In the parent this returns only on SIGTERM/SIGINT
    /// or SIGHUP (nullopt; see restart_requested()). In a forked child, or
    /// after the first connection when `single_connection` (sshd -d), it
    /// returns the accepted socket.
    std::optional<AcceptedSocket> run(bool single_connection);

    /// True when run() ended on SIGHUP: the caller re-executes burrowd.
    bool restart_requested() const { return m_restart; }

private:
    /// A connection process the listener forked (this process image).
    struct Child {
        SourceAddress source;
        bool unauthenticated = true;  ///< counted against MaxStartups
        std::shared_ptr<boost::asio::posix::stream_descriptor> startup_pipe;
    };

    boost::asio::awaitable<void> accept_loop(boost::asio::ip::tcp::acceptor& acceptor);
    boost::asio::awaitable<void> watch_signals();
    boost::asio::awaitable<void> watch_startup(
        pid_t pid, std::shared_ptr<boost::asio::posix::stream_descriptor> pipe);
    void bind(const boost::asio::ip::tcp::endpoint& endpoint);
    /// Refuses the connection (logged) if a limit or a penalty says so.
    bool admit(const boost::asio::ip::tcp::socket& socket, const SourceAddress& source);
    /// Fork for one accepted connection; true in the child.
    bool fork_for(boost::asio::ip::tcp::socket& socket, const SourceAddress& source);
    void reap_children();
    void child_exited(pid_t pid, int status);
    /// The connection authenticated or ended: stop counting it.
    void end_startup(pid_t pid);
    void update_throttling();
    void update_title();
    void on_reload_signal();
    void stop_accepting();

    boost::asio::io_context& m_io;
    std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> m_acceptors;
    boost::asio::signal_set m_signals;
    DaemonSettings m_settings;
    SourceStartups m_source_startups;
    PenaltyTable m_penalties;
    std::map<pid_t, Child> m_children;
    unsigned m_startups = 0;
    std::mt19937 m_random;
    /// MaxStartups throttling (logged when it begins and ends).
    std::optional<std::chrono::steady_clock::time_point> m_throttling_since;
    unsigned m_dropped = 0;
    ReloadCheck m_reload_check;
    bool m_single = false;
    bool m_stopping = false;
    bool m_restart = false;
    std::optional<AcceptedSocket> m_accepted;
};

/// Re-executes this program (/proc/self/exe) with its original command line
/// (server/proc_title.h). Returns only on failure (logged).
void reexecute_self();

}  // namespace burrow::server
