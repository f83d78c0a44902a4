// The session escape character of an interactive burrow session (ssh(1)
// "ESCAPE CHARACTERS"): a pure filter over the bytes typed on the local
// terminal. It recognises the escape character only at the start of a line
// and turns "~." and friends into actions; everything else is passed on to
// the remote side unchanged. No I/O: the session performs the actions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/bytes.h"

namespace burrow::client {

/// What an escape sequence asks the session to do.
enum class EscapeAction {
    disconnect,        ///< "~." end the connection
    suspend,           ///< "~^Z" stop burrow (terminal restored first)
    list_connections,  ///< "~#" list open channels and forwards
    help,              ///< "~?" show the escape help
    rekey,             ///< "~R" start a new key exchange
    send_break,        ///< "~B" send a BREAK (RFC 4335)
    command_line,      ///< "~C" then a line: the line is in EscapeItem::text
};

/// One piece of the filter's output, in the order it must be handled.
struct EscapeItem {
    enum class Kind {
        remote,  ///< `text` goes to the remote side as channel data
        local,   ///< `text` is written to the local terminal (e.g. command line echo)
        action,  ///< `action` is to be performed (for command_line, `text` is the line)
    };
    Kind kind = Kind::remote;
    std::string text;
    EscapeAction action = EscapeAction::disconnect;
};

/// The prompt shown by "~C".
inline constexpr std::string_view escape_command_prompt = "burrow> ";

/// Byte-stream filter for the escape character. Input may be split across
/// feed() calls at any point; the state carries over.
class EscapeFilter {
public:
    /// `escape_char` is the configured EscapeChar (e.g. '~').
    explicit EscapeFilter(char escape_char);

    /// Filter the next bytes read from the local terminal.
    std::vector<EscapeItem> feed(ByteView input);

    /// True while a "~C" command line is being typed.
    bool in_command_line() const { return m_state == State::command; }

private:
    enum class State { normal, escape_seen, command };

    void on_normal(char c, std::vector<EscapeItem>& out);
    void on_escape(char c, std::vector<EscapeItem>& out);
    void on_command(char c, std::vector<EscapeItem>& out);

    char m_escape;
    State m_state = State::normal;
    bool m_line_start = true;  ///< the last byte ended a line (or nothing was typed yet)
    std::string m_command;     ///< the "~C" line typed so far
};

/// The "~?" help text for `escape_char` (lines end in "\r\n": the terminal is raw).
std::string escape_help_text(char escape_char);

/// A forwarding change typed after "~C" (ssh(1) "-L", "-R", "-D" and their
/// "-K" cancelling forms).
struct ForwardCommand {
    enum class Kind { local, remote, dynamic };
    Kind kind = Kind::local;
    bool cancel = false;
    std::string spec;  ///< the argument as typed, e.g. "8080:localhost:80"
};

/// Parse a "~C" command line. nullopt with `error` set when it is not one
/// of -L/-R/-D/-KL/-KR/-KD followed by an argument.
std::optional<ForwardCommand> parse_escape_command(std::string_view line, std::string& error);

/// What the "~#" and "~C" escapes reach beyond the session channel: port
/// forwarding (issue E) registers itself here.
class ForwardingHook {
public:
    virtual ~ForwardingHook() = default;
    /// Lines describing open listeners and forwarded connections for "~#".
    virtual std::vector<std::string> describe() const = 0;
    /// Apply a "~C" forwarding request; the returned message is shown to the user.
    virtual std::string apply(const ForwardCommand& command) = 0;
};

}  // namespace burrow::client
