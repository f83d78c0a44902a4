// The actions of the session escapes (client/escape.h): what "~.", "~^Z",
// "~#", "~?", "~R", "~B" and "~C" do to the session and the local terminal.
#include <unistd.h>

#include <csignal>

#include "client/session.h"

namespace burrow::client {

namespace {

/// RFC 4335 §3: how long a "~B" break lasts, in milliseconds.
constexpr uint32_t break_length_ms = 1000;

}  // namespace

void Session::tell(const std::string& text) const
{
    write_fully(STDERR_FILENO, as_bytes(text));
}

void Session::on_escape_item(const EscapeItem& item)
{
    switch (item.kind) {
        case EscapeItem::Kind::remote:
            m_stdin_pending.insert(m_stdin_pending.end(), item.text.begin(), item.text.end());
            break;
        case EscapeItem::Kind::local:
            tell(item.text);
            break;
        case EscapeItem::Kind::action:
            run_escape(item.action, item.text);
            break;
    }
}

void Session::run_escape(EscapeAction action, const std::string& line)
{
    const char escape = m_settings.escape_char.value_or('~');
    const protocol::ChannelId id = *m_channel;
    switch (action) {
        case EscapeAction::disconnect:
            tell(std::string(1, escape) + ".\r\n");
            finish(exit_failure);  // ssh(1) also exits with 255 after "~."
            break;
        case EscapeAction::suspend:
            suspend();
            break;
        case EscapeAction::list_connections: {
            std::string text = "The following connections are open:\r\n";
            text += "  #" + std::to_string(id) + " session (" +
                    (m_settings.command ? "command" : "shell") + ", pty)\r\n";
            for (const ForwardingHook* hook : m_forwarding_hooks) {
                for (const std::string& entry : hook->describe()) {
                    text += "  " + entry + "\r\n";
                }
            }
            tell(text);
            break;
        }
        case EscapeAction::help:
            tell(escape_help_text(escape));
            break;
        case EscapeAction::rekey:
            // ssh's ~R: new keys now (RFC 4253 §9), unless an exchange runs.
            if (!m_conn->rekey()) {
                tell("A key exchange is already in progress.\r\n");
            }
            break;
        case EscapeAction::send_break:
            m_conn->send_break(id, break_length_ms, false);
            break;
        case EscapeAction::command_line:
            run_escape_command(line);
            break;
    }
}

void Session::run_escape_command(const std::string& line)
{
    if (line.find_first_not_of(" \t") == std::string::npos) {
        return;
    }
    std::string error;
    const std::optional<ForwardCommand> command = parse_escape_command(line, error);
    if (!command) {
        tell(error + "\r\n");
        return;
    }
    if (m_forwarding_hooks.empty()) {
        tell("Port forwarding is not supported yet.\r\n");
        return;
    }
    for (ForwardingHook* hook : m_forwarding_hooks) {
        tell(hook->apply(*command) + "\r\n");
    }
}

void Session::suspend()
{
    tell(std::string(1, m_settings.escape_char.value_or('~')) + "^Z [suspend burrow]\r\n");
    // Cooked terminal while stopped; SIGTSTP's default action stops us here
    // and the call returns once the shell continues us (SIGCONT).
    m_terminal.leave();
    ::raise(SIGTSTP);
    m_terminal.enter();
    m_stdin.restore_nonblocking();
    // The window may have changed while we were stopped.
    if (const auto size = terminal_size(STDIN_FILENO); size && m_channel_ready) {
        m_conn->send_window_change(*m_channel, *size);
    }
}

}  // namespace burrow::client
