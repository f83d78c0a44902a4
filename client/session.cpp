#include "client/session.h"

#include <unistd.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <cctype>

namespace burrow::client {

namespace {

constexpr uint32_t extended_data_stderr = 1;  // RFC 4254 §5.2 SSH_EXTENDED_DATA_STDERR

/// Drop control characters (except newline and tab) from server-supplied
/// text so a banner cannot drive the user's terminal.
std::string printable(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\n' || c == '\t' || (u >= 0x20 && u != 0x7f)) {
            out.push_back(c);
        }
    }
    return out;
}

std::string join(const std::vector<std::string>& items, char sep)
{
    std::string out;
    for (const std::string& item : items) {
        if (!out.empty()) {
            out.push_back(sep);
        }
        out += item;
    }
    return out;
}

}  // namespace

Session::Session(const Settings& settings, const Logger& log, const HostVerifier& verifier,
                 const std::vector<Identity>& identities,
                 const boost::asio::any_io_executor& executor)
    : m_settings(settings),
      m_log(log),
      m_verifier(verifier),
      m_identities(identities),
      m_executor(executor),
      m_stdin(executor, !settings.stdin_null)
{
}

void Session::attach(protocol::Connection& conn, protocol::asio::Driver& driver)
{
    m_conn = &conn;
    m_driver = &driver;
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
    m_stdin.close();
    defer([this] {
        m_conn->disconnect(protocol::DisconnectReason::by_application, "disconnected by user");
    });
}

void Session::abort(const std::string& why)
{
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
    m_stdin.close();
    if (m_finished) {
        return;  // we ended it (or already explained why)
    }
    m_finished = true;
    m_exit_code = exit_failure;
    const std::string where = m_settings.host + " port " + std::to_string(m_settings.port);
    if (info.by_peer && info.message.empty()) {
        m_log.error("Connection closed by " + where);
    } else if (info.by_peer) {
        m_log.error("Disconnected by " + where + ": " + printable(info.message) + " (" +
                    protocol::disconnect_reason_name(info.reason) + ")");
    } else {
        m_log.error("Connection to " + where + " failed: " + info.message);
    }
}

void Session::on_auth_ready()
{
    m_log.debug1("Authenticating to " + m_settings.host + ":" + std::to_string(m_settings.port) +
                 " as '" + m_settings.user + "'");
    try_next_identity();
}

void Session::on_auth_banner(std::string_view text)
{
    m_log.info(printable(text));
}

void Session::try_next_identity()
{
    // Skip keys when the server no longer offers publickey (RFC 4252 §5.1).
    const bool publickey_allowed =
        m_auth_methods.empty() || std::find(m_auth_methods.begin(), m_auth_methods.end(),
                                            "publickey") != m_auth_methods.end();
    if (!publickey_allowed || m_next_identity >= m_identities.size()) {
        auth_failed();
        return;
    }
    const Identity& identity = m_identities[m_next_identity++];
    m_log.debug1("Offering public key: " + identity.path + " " +
                 describe_key(identity.key->public_key()));
    defer([this, &identity] { m_conn->auth_publickey(m_settings.user, *identity.key); });
}

void Session::auth_failed()
{
    const std::string methods = m_auth_methods.empty() ? "publickey" : join(m_auth_methods, ',');
    m_log.error(m_settings.user + "@" + m_settings.host + ": Permission denied (" + methods + ").");
    finish(exit_failure);
}

void Session::on_auth_result(const protocol::AuthResult& result)
{
    if (!result.success) {
        m_auth_methods = result.methods_can_continue;
        try_next_identity();
        return;
    }
    m_log.debug1("Authentication succeeded (publickey).");
    m_log.debug1("Authenticated to " + m_settings.host + " port " +
                 std::to_string(m_settings.port) + " using \"publickey\".");
    defer([this] {
        m_channel = m_conn->open_session();
        if (!m_channel) {
            m_log.error("cannot open a session channel");
            finish(exit_failure);
        }
    });
}

void Session::on_channel_open_result(protocol::ChannelId id, bool ok, std::string_view reason)
{
    if (!ok) {
        m_log.error("channel " + std::to_string(id) + ": open failed: " + printable(reason));
        finish(exit_failure);
        return;
    }
    start_channel(id);
}

void Session::start_channel(protocol::ChannelId id)
{
    m_channel = id;
    m_channel_ready = true;
    defer([this, id] {
        if (m_settings.command) {
            m_log.debug1("Sending command: " + *m_settings.command);
            m_conn->request_exec(id, *m_settings.command, true);
        } else {
            // No pty yet: the shell runs with plain pipes (RFC 4254 §6.5).
            m_log.debug1("Requesting shell.");
            m_conn->send_channel_request(id, "shell", true, {});
        }
        pump_stdin();
    });
}

void Session::on_channel_request_reply(protocol::ChannelId id, bool success)
{
    if (!success) {
        m_log.error(std::string(m_settings.command ? "exec" : "shell") +
                    " request failed on channel " + std::to_string(id));
        finish(exit_failure);
    }
}

void Session::on_channel_data(protocol::ChannelId id, ByteView data)
{
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
            message += ": " + printable(request.error_message);
        }
        if (m_stdout_broken) {
            m_log.debug1(message);  // expected: we closed its output ourselves
        } else {
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
    m_log.debug2("channel " + std::to_string(id) + ": closed");
    m_channel_ready = false;
    // ssh(1): the remote exit status, or 255 when the server sent none.
    const int code =
        m_exit_signal || !m_exit_status ? exit_failure : static_cast<int>(*m_exit_status & 0xff);
    finish(code);
}

void Session::on_window_available(protocol::ChannelId /*id*/)
{
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
    } else {
        m_stdin_pending.insert(m_stdin_pending.end(), data.begin(), data.end());
    }
    pump_stdin();
    m_driver->notify();
}

}  // namespace burrow::client
