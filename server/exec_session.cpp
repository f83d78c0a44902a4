#include "server/exec_session.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>

#include "server/child_process.h"
#include "server/log.h"
#include "server/pseudo_terminal.h"

namespace burrow::server {

namespace {

namespace net = boost::asio;

constexpr auto no_throw = net::as_tuple(net::use_awaitable);

/// Read at most one channel packet's worth from a pipe at a time.
constexpr size_t pipe_chunk = protocol::limits::channel_max_packet;

/// RFC 4254 §6.10: signal names are given without the "SIG" prefix.
std::string signal_name(int sig)
{
    const char* abbrev = sigabbrev_np(sig);
    return abbrev != nullptr ? abbrev : "SIG" + std::to_string(sig);
}

/// Completion for the session's coroutines: keeps the session alive until
/// the coroutine ends and logs anything unexpected it threw.
struct KeepAlive {
    std::shared_ptr<ExecSession> session;
    void operator()(const std::exception_ptr& e) const
    {
        if (!e) {
            return;
        }
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            log_error(std::string("session I/O failed: ") + ex.what());
        }
    }
};

}  // namespace

ExecSession::ExecSession(net::any_io_executor executor, protocol::Connection& conn,
                         protocol::asio::Driver& driver, protocol::ChannelId id)
    : m_conn(conn),
      m_driver(driver),
      m_id(id),
      m_stdin(executor),
      m_stdout(executor),
      m_stderr(executor),
      m_window_wake(executor, net::steady_timer::time_point::max()),
      m_input_wake(executor, net::steady_timer::time_point::max())
{
}

ExecSession::~ExecSession()
{
    shutdown();
}

std::string ExecSession::start(const UserInfo& user, const std::vector<std::string>& env,
                               const std::optional<std::string>& command,
                               const SpawnOptions& options)
{
    if (m_pid > 0 || m_shutdown) {
        return "the session already runs a command";
    }
    std::string error;
    const std::optional<ChildProcess> child = spawn_user_process(user, env, command, options, error);
    if (!child) {
        return error;
    }
    m_pid = child->pid;
    m_stdin.assign(child->stdin_fd);
    m_stdout.assign(child->stdout_fd);
    m_has_pty = child->stderr_fd < 0;
    m_open_outputs = m_has_pty ? 1 : 2;
    const net::any_io_executor ex = m_stdout.get_executor();
    net::co_spawn(ex, pump_output(m_stdout, false), KeepAlive{shared_from_this()});
    if (!m_has_pty) {
        m_stderr.assign(child->stderr_fd);
        net::co_spawn(ex, pump_output(m_stderr, true), KeepAlive{shared_from_this()});
    }
    net::co_spawn(ex, pump_input(), KeepAlive{shared_from_this()});
    return {};
}

void ExecSession::on_data(ByteView data)
{
    if (m_input_broken || m_shutdown) {
        // Nobody reads it: drop it but keep the window open.
        m_conn.consume_channel_data(m_id, data.size());
        return;
    }
    m_input.insert(m_input.end(), data.begin(), data.end());
    m_input_wake.cancel();
}

void ExecSession::on_eof()
{
    m_input_eof = true;
    m_input_wake.cancel();
}

void ExecSession::on_window_available()
{
    m_window_wake.cancel();
}

void ExecSession::on_exit(int wait_status)
{
    m_exit_status = wait_status;
    maybe_finish();
}

void ExecSession::shutdown()
{
    // Must not touch the connection: also runs from the destructor.
    m_shutdown = true;
    boost::system::error_code ignored;
    m_stdin.close(ignored);
    m_stdout.close(ignored);
    m_stderr.close(ignored);
    m_window_wake.cancel();
    m_input_wake.cancel();
}

void ExecSession::hang_up()
{
    if (m_pid > 0 && !m_exit_status) {
        // The child called setsid(): its pid is its process group.
        ::kill(-m_pid, SIGHUP);
    }
    shutdown();
}

void ExecSession::deliver_signal(int sig)
{
    if (m_pid > 0 && !m_exit_status) {
        ::kill(-m_pid, sig);
    }
}

bool ExecSession::resize(const protocol::WindowSize& size)
{
    if (!m_has_pty || !m_stdout.is_open()) {
        return false;
    }
    set_window_size(m_stdout.native_handle(), size);
    return true;
}

bool ExecSession::send_break(uint32_t milliseconds)
{
    if (!m_has_pty || !m_stdout.is_open()) {
        return false;
    }
    server::send_break(m_stdout.native_handle(), milliseconds);
    return true;
}

net::awaitable<void> ExecSession::pump_output(net::posix::stream_descriptor& pipe, bool is_stderr)
{
    Bytes buffer(pipe_chunk);  // one allocation per pipe, reused for every read
    while (!m_shutdown) {
        // Flow control (RFC 4254 §5.2): read only what the peer's window
        // can take, and stop reading the pipe while the window is closed so
        // the child blocks instead of burrowd buffering without bound.
        const size_t window = m_conn.send_window(m_id);
        if (window == 0) {
            co_await m_window_wake.async_wait(no_throw);
            continue;
        }
        auto [ec, n] = co_await pipe.async_read_some(
            net::buffer(buffer.data(), std::min(window, buffer.size())), no_throw);
        if (ec) {
            break;  // EOF, or closed by shutdown()
        }
        ByteView rest(buffer.data(), n);
        while (!rest.empty() && !m_shutdown) {
            // RFC 4254 §5.2: extended data type 1 is stderr.
            const size_t sent =
                is_stderr ? m_conn.send_extended_data(m_id, 1, rest) : m_conn.send_data(m_id, rest);
            m_driver.notify();
            rest = rest.subspan(sent);
            if (!rest.empty() && sent == 0) {
                co_await m_window_wake.async_wait(no_throw);
            }
        }
    }
    --m_open_outputs;
    maybe_finish();
}

net::awaitable<void> ExecSession::pump_input()
{
    // on_data() appends to m_input while a write may be in flight, so the
    // bytes being written live in `writing`, swapped in when it is empty.
    Bytes writing;
    size_t offset = 0;
    while (!m_shutdown) {
        if (offset == writing.size()) {
            writing.clear();
            offset = 0;
            writing.swap(m_input);
        }
        if (writing.empty()) {
            if (m_input_eof) {
                break;
            }
            co_await m_input_wake.async_wait(no_throw);
            continue;
        }
        auto [ec, n] = co_await m_stdin.async_write_some(
            net::buffer(writing.data() + offset, writing.size() - offset), no_throw);
        if (m_shutdown) {
            break;
        }
        if (ec) {
            // The child closed its stdin: discard what is left (and what
            // comes), still consuming it so the peer's window stays open.
            m_input_broken = true;
            m_conn.consume_channel_data(m_id, writing.size() - offset + m_input.size());
            m_input.clear();
            m_driver.notify();
            break;
        }
        offset += n;
        // Backpressure: the window reopens only for bytes the child took.
        m_conn.consume_channel_data(m_id, n);
        m_driver.notify();
    }
    boost::system::error_code ignored;
    m_stdin.close(ignored);  // RFC 4254 §5.3: EOF from the peer -> EOF on stdin
}

void ExecSession::maybe_finish()
{
    if (m_finished || m_shutdown || m_open_outputs > 0 || !m_exit_status) {
        return;
    }
    m_finished = true;
    // RFC 4254 §6.10: report how the command ended, then EOF and CLOSE.
    const int status = *m_exit_status;
    if (WIFSIGNALED(status)) {
        m_conn.send_exit_signal(m_id, signal_name(WTERMSIG(status)), WCOREDUMP(status) != 0, "");
    } else {
        m_conn.send_exit_status(m_id, static_cast<uint32_t>(WEXITSTATUS(status)));
    }
    m_conn.send_eof(m_id);
    m_conn.close_channel(m_id);
    m_driver.notify();
}

}  // namespace burrow::server
