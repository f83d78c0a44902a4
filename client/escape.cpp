#include "client/escape.h"

namespace burrow::client {

namespace {

constexpr char ctrl_z = 0x1a;
constexpr char ctrl_c = 0x03;
constexpr char ctrl_u = 0x15;
constexpr char backspace = 0x08;
constexpr char del = 0x7f;

bool ends_line(char c)
{
    return c == '\r' || c == '\n';
}

/// Append `text` to the output, merging with the previous piece of the same kind.
void emit(std::vector<EscapeItem>& out, EscapeItem::Kind kind, std::string_view text)
{
    if (!out.empty() && out.back().kind == kind && kind != EscapeItem::Kind::action) {
        out.back().text += text;
        return;
    }
    out.push_back(EscapeItem{kind, std::string(text), EscapeAction::disconnect});
}

void emit_action(std::vector<EscapeItem>& out, EscapeAction action, std::string text = {})
{
    out.push_back(EscapeItem{EscapeItem::Kind::action, std::move(text), action});
}

/// "^Z" for control characters, the character itself otherwise.
std::string printable_escape(char c)
{
    if (static_cast<unsigned char>(c) < 0x20) {
        return std::string("^") + static_cast<char>(c + '@');
    }
    return std::string(1, c);
}

}  // namespace

EscapeFilter::EscapeFilter(char escape_char) : m_escape(escape_char) {}

std::vector<EscapeItem> EscapeFilter::feed(ByteView input)
{
    std::vector<EscapeItem> out;
    for (const uint8_t byte : input) {
        const char c = static_cast<char>(byte);
        switch (m_state) {
            case State::normal:
                on_normal(c, out);
                break;
            case State::escape_seen:
                on_escape(c, out);
                break;
            case State::command:
                on_command(c, out);
                break;
        }
    }
    return out;
}

void EscapeFilter::on_normal(char c, std::vector<EscapeItem>& out)
{
    // ssh(1): the escape character is only recognised right after a newline
    // (or as the very first character typed).
    if (m_line_start && c == m_escape) {
        m_state = State::escape_seen;
        return;
    }
    m_line_start = ends_line(c);
    emit(out, EscapeItem::Kind::remote, std::string_view(&c, 1));
}

void EscapeFilter::on_escape(char c, std::vector<EscapeItem>& out)
{
    m_state = State::normal;
    // The commands leave the line-start state as it was, so escapes can
    // follow each other ("~B~B"); characters sent on reset it below.
    switch (c) {
        case '.':
            emit_action(out, EscapeAction::disconnect);
            return;
        case ctrl_z:
            emit_action(out, EscapeAction::suspend);
            return;
        case '#':
            emit_action(out, EscapeAction::list_connections);
            return;
        case '?':
            emit_action(out, EscapeAction::help);
            return;
        case 'R':
            emit_action(out, EscapeAction::rekey);
            return;
        case 'B':
            emit_action(out, EscapeAction::send_break);
            return;
        case 'C':
            m_state = State::command;
            m_command.clear();
            emit(out, EscapeItem::Kind::local, "\r\n" + std::string(escape_command_prompt));
            return;
        default:
            break;
    }
    // The escape character twice sends it once; anything else sends both.
    if (c != m_escape) {
        emit(out, EscapeItem::Kind::remote, std::string_view(&m_escape, 1));
    }
    m_line_start = ends_line(c);
    emit(out, EscapeItem::Kind::remote, std::string_view(&c, 1));
}

void EscapeFilter::on_command(char c, std::vector<EscapeItem>& out)
{
    // The terminal is raw: echo and editing are ours to do.
    if (ends_line(c)) {
        m_state = State::normal;
        m_line_start = true;
        emit(out, EscapeItem::Kind::local, "\r\n");
        emit_action(out, EscapeAction::command_line, m_command);
        m_command.clear();
    } else if (c == del || c == backspace) {
        if (!m_command.empty()) {
            m_command.pop_back();
            emit(out, EscapeItem::Kind::local, "\b \b");
        }
    } else if (c == ctrl_u) {
        for (size_t i = 0; i < m_command.size(); ++i) {
            emit(out, EscapeItem::Kind::local, "\b \b");
        }
        m_command.clear();
    } else if (c == ctrl_c) {
        // Abandon the command line.
        m_state = State::normal;
        m_line_start = true;
        m_command.clear();
        emit(out, EscapeItem::Kind::local, "\r\n");
    } else if (static_cast<unsigned char>(c) >= 0x20 && m_command.size() < 1024) {
        m_command += c;
        emit(out, EscapeItem::Kind::local, std::string_view(&c, 1));
    }
}

std::string escape_help_text(char escape_char)
{
    const std::string e = printable_escape(escape_char);
    std::string text = "Supported escape sequences:\r\n";
    const auto line = [&](const std::string& keys, const char* what) {
        text += " " + e + keys + " - " + what + "\r\n";
    };
    line(".", "disconnect");
    line("B", "send BREAK (RFC 4335)");
    line("C", "command line: -L, -R, -D, -KL, -KR, -KD");
    line("R", "start a new key exchange");
    line("^Z", "suspend burrow (fg resumes)");
    line("#", "list the open channels and forwards");
    line("?", "show these escapes");
    line(e, "type the escape character itself");
    text += "Escapes work only at the start of a line.\r\n";
    return text;
}

std::optional<ForwardCommand> parse_escape_command(std::string_view line, std::string& error)
{
    const auto skip_blanks = [&line] {
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
            line.remove_prefix(1);
        }
    };
    skip_blanks();
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) {
        line.remove_suffix(1);
    }
    ForwardCommand command;
    if (line.size() < 2 || line[0] != '-') {
        error = "Invalid command.";
        return std::nullopt;
    }
    line.remove_prefix(1);
    if (line.front() == 'K') {
        command.cancel = true;
        line.remove_prefix(1);
    }
    if (line.empty()) {
        error = "Invalid command.";
        return std::nullopt;
    }
    switch (line.front()) {
        case 'L':
            command.kind = ForwardCommand::Kind::local;
            break;
        case 'R':
            command.kind = ForwardCommand::Kind::remote;
            break;
        case 'D':
            command.kind = ForwardCommand::Kind::dynamic;
            break;
        default:
            error = "Invalid command.";
            return std::nullopt;
    }
    line.remove_prefix(1);
    skip_blanks();
    if (line.empty()) {
        error = "Bad forwarding specification.";
        return std::nullopt;
    }
    command.spec = std::string(line);
    return command;
}

}  // namespace burrow::client
