// The process of one "session" channel (RFC 4254 §6): the child's
// stdout/stderr (or its pty) become channel data/extended data within the
// peer's window, channel data is written to the child's stdin with
// backpressure, and the exit status is reported once all output is drained.
#pragma once

#include <sys/types.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/asio/driver.h"
#include "protocol/connection.h"
#include "server/child_process.h"
#include "server/user.h"

namespace burrow::server {

class ExecSession final : public std::enable_shared_from_this<ExecSession> {
public:
    ExecSession(boost::asio::any_io_executor executor, protocol::Connection& conn,
                protocol::asio::Driver& driver, protocol::ChannelId id);
    ~ExecSession();
    ExecSession(const ExecSession&) = delete;
    ExecSession& operator=(const ExecSession&) = delete;

    /// Start the user's command (or shell if `command` is empty). Returns an
    /// error text, empty on success. At most once per channel.
    std::string start(const UserInfo& user, const std::vector<std::string>& env,
                      const std::optional<std::string>& command, const SpawnOptions& options);
    bool started() const { return m_pid > 0; }
    pid_t pid() const { return m_pid; }

    /// Channel data for the child's stdin (copied; consumed once written).
    void on_data(ByteView data);
    /// The peer sent EOF: close stdin once the buffer is written.
    void on_eof();
    /// The peer's window grew.
    void on_window_available();
    /// The child was reaped with this waitpid() status.
    void on_exit(int wait_status);
    /// The channel is closed: stop all I/O (the child gets EOF/EPIPE).
    void shutdown();
    /// The connection dropped: SIGHUP to the session's process group (as a
    /// terminal hangup does), then shutdown().
    void hang_up();
    /// RFC 4254 §6.9: deliver `sig` to the session's process group.
    void deliver_signal(int sig);
    /// With a pty: RFC 4254 §6.7 window-change, RFC 4335 break. Return false
    /// without a pty.
    bool resize(const protocol::WindowSize& size);
    bool send_break(uint32_t milliseconds);

private:
    boost::asio::awaitable<void> pump_output(boost::asio::posix::stream_descriptor& pipe,
                                             bool is_stderr);
    boost::asio::awaitable<void> pump_input();
    void maybe_finish();

    protocol::Connection& m_conn;
    protocol::asio::Driver& m_driver;
    const protocol::ChannelId m_id;
    boost::asio::posix::stream_descriptor m_stdin;
    boost::asio::posix::stream_descriptor m_stdout;
    boost::asio::posix::stream_descriptor m_stderr;
    boost::asio::steady_timer m_window_wake;  ///< cancelled when the window grows
    boost::asio::steady_timer m_input_wake;   ///< cancelled when stdin data arrives
    Bytes m_input;                            ///< channel data not yet written
    bool m_input_eof = false;
    bool m_input_broken = false;  ///< the child closed its stdin: discard input
    int m_open_outputs = 0;       ///< stdout/stderr pipes not at EOF yet
    pid_t m_pid = -1;
    bool m_has_pty = false;
    std::optional<int> m_exit_status;
    bool m_finished = false;
    bool m_shutdown = false;
};

}  // namespace burrow::server
