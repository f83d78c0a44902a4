#include "client/session.h"

#include <unistd.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <cctype>
#include <csignal>

#include "protocol/terminal_modes.h"

namespace burrow::client {

namespace {

constexpr uint32_t extended_data_stderr = 1;  // RFC 4254 §5.2 SSH_EXTENDED_DATA_STDERR

/// Overwrite a secret before its memory is released.
void wipe_string(std::string& secret)
{
    volatile char* p = secret.data();
    for (size_t i = 0; i < secret.size(); ++i) {
        p[i] = 0;
    }
    secret.clear();
}

}  // namespace

Session::Session(const Settings& settings, const Logger& log, const HostVerifier& verifier,
                 std::vector<KeyCandidate> keys, Prompter& prompter,
                 const boost::asio::any_io_executor& executor)
    : m_settings(settings),
      m_log(log),
      m_verifier(verifier),
      m_executor(executor),
      m_stdin(executor, !settings.stdin_null),
      m_auth(settings, log, std::move(keys), prompter, *this),
      m_agent_forward(executor, log, settings.forward_agent,
                      [this](std::function<void()> action) { defer(std::move(action)); }),
      m_forwards(
          executor, settings, log,
          [this](std::function<void()> action) { defer(std::move(action)); },
          [this] { finish(exit_failure); }, [this] { on_forwards_ready(); }),
      m_terminal(STDIN_FILENO),
      m_winch(executor)
{
    const bool stdin_tty = !settings.stdin_null && is_terminal(STDIN_FILENO);
    m_pty = want_pty(settings.request_tty, settings.command.has_value(), stdin_tty);
    if (settings.request_tty == RequestTty::yes && !stdin_tty) {
        m_log.info("Pseudo-terminal will not be allocated because stdin is not a terminal.");
    }
    // ssh(1): escapes apply only to a session with a pty.
    if (m_pty && settings.escape_char) {
        m_escape.emplace(*settings.escape_char);
    }
    add_forwarding_hook(m_forwards);
}

void Session::stop_input()
{
    m_stdin.close();
    m_agent_forward.close_all();
    m_forwards.close_all();
    boost::system::error_code ignored;
    m_winch.cancel(ignored);
}

void Session::end_terminal()
{
    m_terminal.leave();
    if (m_pty && m_started && !m_lost && m_log.enabled(LogLevel::info)) {
        // ssh(1) says this after every pty session it (or the remote) ended.
        // ssh names the host it contacted (after HostName) here.
        const std::string text = "Connection to " + m_settings.connect_host + " closed.\n";
        write_fully(STDERR_FILENO, as_bytes(text));
    }
}

void Session::attach(protocol::Connection& conn, protocol::asio::Driver& driver)
{
    m_conn = &conn;
    m_driver = &driver;
    m_agent_forward.attach(conn);
    m_forwards.attach(conn);
}

int Session::exit_code() const
{
    return m_exit_code;
}

void Session::defer(std::function<void()> action)
{
    boost::asio::post(m_executor, [this, action = std::move(action)] {
        action();
        m_driver->notify();
    });
}

void Session::finish(int code)
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    m_exit_code = code;
    m_terminal.leave();
    m_stdin.close();
    m_agent_forward.close_all();
    m_forwards.close_all();
    defer([this] {
        m_conn->disconnect(protocol::DisconnectReason::by_application, "disconnected by user");
    });
}

void Session::abort(const std::string& why)
{
    m_terminal.leave();
    m_log.error(why);
    finish(exit_failure);
}

void Session::on_host_key(const protocol::HostKeyCheck& check)
{
    const bool ok = m_verifier.verify(check.key_blob);
    if (!ok) {
        // The core sends the disconnect; the message was already printed.
        m_finished = true;
        m_exit_code = exit_failure;
        m_stdin.close();
    }
    defer([this, ok] { m_conn->accept_host_key(ok); });
}

void Session::on_kex_done(bool first)
{
    if (first) {
        m_log.debug1("Key exchange done: " + m_conn->negotiated_summary());
    }
}

void Session::on_debug(int level, std::string_view text)
{
    m_log.debug(level, text);
}

void Session::on_disconnected(const protocol::DisconnectInfo& info)
{
    m_terminal.leave();  // messages below must not staircase
    m_stdin.close();
    m_agent_forward.close_all();
    m_forwards.close_all();
    if (m_finished) {
        return;  // we ended it (or already explained why)
    }
    m_finished = true;
    m_lost = true;
    m_exit_code = exit_failure;
    const std::string where = m_settings.host + " port " + std::to_string(m_settings.port);
    if (info.by_peer && info.message.empty()) {
        m_log.error("Connection closed by " + where);
    } else if (info.by_peer) {
        m_log.error("Disconnected by " + where + ": " + printable_text(info.message) + " (" +
                    protocol::disconnect_reason_name(info.reason) + ")");
    } else {
        m_log.error("Connection to " + where + " failed: " + info.message);
    }
}

void Session::on_auth_ready()
{
    m_auth.start();
}

void Session::on_auth_banner(std::string_view text)
{
    m_log.info(printable_text(text));
}

void Session::on_auth_result(const protocol::AuthResult& result)
{
    m_auth.on_result(result);
}

void Session::on_info_request(const protocol::InfoRequest& request)
{
    m_auth.on_info_request(request);
}

void Session::try_none(const std::string& user)
{
    defer([this, user] { m_conn->auth_none(user); });
}

void Session::try_publickey(const std::string& user, const crypto::PrivateKey& key)
{
    defer([this, user, &key] { m_conn->auth_publickey(user, key); });
}

void Session::try_password(const std::string& user, std::string password)
{
    defer([this, user, password = std::move(password)]() mutable {
        m_conn->auth_password(user, as_bytes(password));
        wipe_string(password);
    });
}

void Session::try_keyboard_interactive(const std::string& user)
{
    defer([this, user] { m_conn->auth_keyboard_interactive(user); });
}

void Session::answer_info_request(std::vector<std::string> responses)
{
    defer([this, responses = std::move(responses)]() mutable {
        m_conn->answer_info_request(responses);
        for (std::string& response : responses) {
            wipe_string(response);
        }
    });
}

void Session::auth_done(bool success)
{
    if (!success) {
        m_log.error(m_auth.failure_message());
        finish(exit_failure);
        return;
    }
    defer([this] {
        m_forwards.start();
        if (m_finished) {
            return;  // a forward failed under ExitOnForwardFailure
        }
        if (m_settings.fork_after_auth && !m_settings.exit_on_forward_failure) {
            fork_now();
        }
        if (m_settings.no_session) {
            return;  // -N: forwards only
        }
        m_channel = m_conn->open_session();
        if (!m_channel) {
            m_log.error("cannot open a session channel");
            finish(exit_failure);
        }
    });
}

void Session::on_channel_open_request(const protocol::ChannelOpenRequest& request)
{
    if (m_agent_forward.on_open_request(request) || m_forwards.on_open_request(request)) {
        return;
    }
    // Nothing else is opened towards a client (no X11 or port forwarding yet).
    m_log.debug1("refusing channel of type " + printable_text(request.type));
    const protocol::ChannelId id = request.id;
    defer([this, id] { m_conn->reject_channel(id, 1, "not supported"); });
}

void Session::on_channel_open_result(protocol::ChannelId id, bool ok, std::string_view reason)
{
    if (m_forwards.on_open_result(id, ok, reason)) {
        return;
    }
    if (!ok) {
        m_log.error("channel " + std::to_string(id) + ": open failed: " + printable_text(reason));
        finish(exit_failure);
        return;
    }
    start_channel(id);
}

void Session::start_channel(protocol::ChannelId id)
{
    m_channel = id;
    m_channel_ready = true;
    m_started = true;
    defer([this, id] {
        if (m_settings.forward_agent) {
            // OpenSSH PROTOCOL §2.1: ask the server for a forwarded agent socket.
            m_log.debug1("Requesting authentication agent forwarding.");
            m_conn->send_channel_request(id, agent_request_type, false, {});
        }
        if (m_pty) {
            request_pty(id);
        }
        // RFC 4254 §6.4: environment before the shell or command starts; as
        // ssh(1), without asking for replies (servers refuse most names).
        for (const auto& [name, value] : session_environment(m_settings, environ)) {
            m_log.debug1("Sending env " + name + " = " + printable_text(value));
            m_conn->request_env(id, name, value, false);
        }
        if (m_settings.command) {
            m_log.debug1("Sending command: " + *m_settings.command);
            m_pending_replies.push_back("exec");
            m_conn->request_exec(id, *m_settings.command, true);
        } else {
            m_log.debug1("Requesting shell.");
            m_pending_replies.push_back("shell");
            m_conn->request_shell(id, true);
        }
        if (m_pty) {
            // Raw only now: authentication prompts needed the cooked terminal,
            // and the debug lines above print before the newlines go raw.
            m_terminal.enter();
            wait_window_change();
        }
        pump_stdin();
    });
}

void Session::request_pty(protocol::ChannelId id)
{
    protocol::PtyRequest pty;
    // ssh(1) sends an empty TERM when the variable is unset.
    const char* term = std::getenv("TERM");
    pty.term = term ? term : "";
    // Without a local terminal (-tt through a pipe) the size is 80x24 and no
    // modes are sent: the server keeps its defaults (RFC 4254 §8).
    pty.size = terminal_size(STDIN_FILENO).value_or(protocol::WindowSize{80, 24, 0, 0});
    if (const std::optional<termios> local = m_terminal.original()) {
        pty.modes = protocol::encode_termios(*local);
    }
    m_log.debug1("Requesting pty (TERM " + pty.term + ", " + std::to_string(pty.size.cols) + "x" +
                 std::to_string(pty.size.rows) + ").");
    m_pending_replies.push_back("pty-req");
    m_conn->request_pty(id, pty, true);
}

void Session::wait_window_change()
{
    if (!is_terminal(STDIN_FILENO)) {
        return;
    }
    if (!m_winch_armed) {
        m_winch_armed = true;
        m_winch.add(SIGWINCH);
    }
    m_winch.async_wait([this](const boost::system::error_code& ec, int) {
        if (ec || m_finished || !m_channel_ready) {
            return;
        }
        // RFC 4254 §6.7: tell the server each new size.
        if (const auto size = terminal_size(STDIN_FILENO)) {
            const protocol::ChannelId id = *m_channel;
            defer([this, id, size = *size] { m_conn->send_window_change(id, size); });
        }
        wait_window_change();
    });
}

void Session::on_channel_request_reply(protocol::ChannelId id, bool success)
{
    std::string what = "request";
    if (!m_pending_replies.empty()) {
        what = m_pending_replies.front();
        m_pending_replies.pop_front();
    }
    if (success) {
        return;
    }
    if (what == "pty-req") {
        // As ssh(1): carry on without a pty, with the local terminal cooked again.
        m_terminal.leave();
        m_log.error("PTY allocation request failed on channel " + std::to_string(id));
        return;
    }
    m_log.error(what + " request failed on channel " + std::to_string(id));
    finish(exit_failure);
}

void Session::on_channel_data(protocol::ChannelId id, ByteView data)
{
    if (m_agent_forward.on_data(id, data) || m_forwards.on_data(id, data)) {
        return;
    }
    if (!m_stdout_broken && !write_fully(STDOUT_FILENO, data)) {
        // Nobody reads our output any more (EPIPE, as in `burrow host yes | head`):
        // close the channel so the remote command is not left running forever.
        m_stdout_broken = true;
        m_log.debug1("stdout is closed: closing channel " + std::to_string(id));
        defer([this, id] { m_conn->close_channel(id); });
    }
    const size_t n = data.size();
    defer([this, id, n] { m_conn->consume_channel_data(id, n); });
}

void Session::on_channel_extended_data(protocol::ChannelId id, uint32_t type, ByteView data)
{
    if (type == extended_data_stderr) {
        write_fully(STDERR_FILENO, data);
    }
    const size_t n = data.size();
    defer([this, id, n] { m_conn->consume_channel_data(id, n); });
}

void Session::on_channel_eof(protocol::ChannelId id)
{
    if (m_agent_forward.on_eof(id) || m_forwards.on_eof(id)) {
        return;
    }
    m_log.debug2("channel " + std::to_string(id) + ": remote end sent EOF");
}

void Session::on_channel_request(const protocol::ChannelRequest& request)
{
    if (request.type == "exit-status") {
        m_exit_status = request.exit_status;
        m_log.debug1("Exit status " + std::to_string(request.exit_status));
    } else if (request.type == "exit-signal") {
        m_exit_signal = true;
        std::string message = "Remote command killed by signal " + request.signal_name;
        if (request.core_dumped) {
            message += " (core dumped)";
        }
        if (!request.error_message.empty()) {
            message += ": " + printable_text(request.error_message);
        }
        if (m_stdout_broken) {
            m_log.debug1(message);  // expected: we closed its output ourselves
        } else {
            m_terminal.leave();  // the session is ending: print on a cooked terminal
            m_log.error(message);
        }
    }
    if (request.want_reply) {
        // Nothing else (e.g. keepalive@openssh.com) is supported: say so.
        const protocol::ChannelId id = request.id;
        defer([this, id] { m_conn->reply_channel_request(id, false); });
    }
}

void Session::on_channel_closed(protocol::ChannelId id)
{
    if (m_agent_forward.on_closed(id) || m_forwards.on_closed(id)) {
        return;
    }
    m_log.debug2("channel " + std::to_string(id) + ": closed");
    m_channel_ready = false;
    // ssh(1): the remote exit status, or 255 when the server sent none.
    const int code =
        m_exit_signal || !m_exit_status ? exit_failure : static_cast<int>(*m_exit_status & 0xff);
    finish(code);
}

void Session::on_window_available(protocol::ChannelId id)
{
    if (m_agent_forward.on_window_available(id) || m_forwards.on_window_available(id)) {
        return;
    }
    defer([this] { pump_stdin(); });
}

void Session::pump_stdin()
{
    if (!m_channel_ready || m_finished || m_eof_sent || m_stdin.busy()) {
        return;
    }
    const protocol::ChannelId id = *m_channel;
    if (!m_stdin_pending.empty()) {
        const size_t sent = m_conn->send_data(id, m_stdin_pending);
        m_stdin_pending.erase(m_stdin_pending.begin(),
                              m_stdin_pending.begin() + static_cast<std::ptrdiff_t>(sent));
        if (!m_stdin_pending.empty()) {
            return;  // window full: on_window_available() resumes
        }
    }
    if (m_stdin_eof) {
        m_eof_sent = true;
        m_log.debug2("channel " + std::to_string(id) + ": sending EOF");
        m_conn->send_eof(id);
        return;
    }
    const size_t window = m_conn->send_window(id);
    if (window == 0) {
        return;
    }
    m_stdin.read(window, [this](ByteView data, bool eof) { on_stdin(data, eof); });
}

void Session::on_stdin(ByteView data, bool eof)
{
    if (m_finished) {
        return;
    }
    if (eof) {
        m_stdin_eof = true;
    } else if (m_escape) {
        for (const EscapeItem& item : m_escape->feed(data)) {
            on_escape_item(item);
        }
    } else {
        m_stdin_pending.insert(m_stdin_pending.end(), data.begin(), data.end());
    }
    pump_stdin();
    m_driver->notify();
}

}  // namespace burrow::client
