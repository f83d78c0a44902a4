#include "protocol/channels/session_requests.h"

#include <algorithm>

#include "protocol/error.h"
#include "protocol/wire/writer.h"

namespace burrow::protocol::channels {

namespace {

/// RFC 4254 §8: the end of the encoded modes.
constexpr uint8_t tty_op_end = 0;
/// RFC 4254 §8: opcodes from here on are undefined and end the parse.
constexpr uint8_t first_undefined_opcode = 160;
/// RFC 4254 §6.10 / RFC 4335: longest signal name we accept.
constexpr size_t max_signal_name = 64;
/// exit-signal error message and language tag bounds.
constexpr size_t max_error_message = 4096;
constexpr size_t max_language_tag = 64;

WindowSize read_size(wire::Reader& r)
{
    WindowSize size;
    size.cols = r.get_u32();
    size.rows = r.get_u32();
    size.width_px = r.get_u32();
    size.height_px = r.get_u32();
    // Absurd sizes are clamped rather than refused: the pty just gets a
    // sane maximum (a client bug should not kill the session).
    size.cols = std::min(size.cols, max_terminal_cells);
    size.rows = std::min(size.rows, max_terminal_cells);
    return size;
}

void put_size(wire::Writer& w, const WindowSize& size)
{
    w.put_u32(size.cols);
    w.put_u32(size.rows);
    w.put_u32(size.width_px);
    w.put_u32(size.height_px);
}

void parse_pty(wire::Reader& r, ChannelRequest& req)
{
    // RFC 4254 §6.2: TERM, cols, rows, width px, height px, encoded modes.
    PtyRequest pty;
    pty.term = r.get_text(max_term);
    pty.size = read_size(r);
    const ByteView modes = r.get_string();
    if (modes.size() > max_terminal_modes) {
        throw ProtocolError(DisconnectReason::protocol_error,
                            "pty-req terminal modes of " + std::to_string(modes.size()) +
                                " bytes exceed " + std::to_string(max_terminal_modes));
    }
    pty.modes = decode_terminal_modes(modes);
    req.window = pty.size;
    req.pty = std::move(pty);
}

}  // namespace

void parse_request_body(wire::Reader& r, ChannelRequest& req)
{
    if (req.type == "exec" || req.type == "subsystem") {
        req.command = r.get_text(max_command);  // RFC 4254 §6.5
    } else if (req.type == "pty-req") {
        parse_pty(r, req);
    } else if (req.type == "window-change") {
        req.window = read_size(r);  // RFC 4254 §6.7
    } else if (req.type == "env") {
        req.env_name = r.get_text(max_env_name);  // RFC 4254 §6.4
        req.env_value = r.get_text(max_env_value);
    } else if (req.type == "signal") {
        req.signal_name = r.get_text(max_signal_name);  // RFC 4254 §6.9
    } else if (req.type == "break") {
        req.break_ms = r.get_u32();  // RFC 4335 §3
    } else if (req.type == "exit-status") {
        req.exit_status = r.get_u32();  // RFC 4254 §6.10
    } else if (req.type == "exit-signal") {
        req.signal_name = r.get_text(max_signal_name);
        req.core_dumped = r.get_bool();
        req.error_message = r.get_text(max_error_message);
        r.get_text(max_language_tag);
    } else {
        req.raw = r.get_rest();
    }
}

Bytes encode_exec(std::string_view command)
{
    Bytes body;
    wire::Writer(body).put_string(command);
    return body;
}

Bytes encode_pty_request(const PtyRequest& pty)
{
    Bytes body;
    wire::Writer w(body);
    w.put_string(pty.term);
    put_size(w, pty.size);
    w.put_string(encode_terminal_modes(pty.modes));
    return body;
}

Bytes encode_window_change(const WindowSize& size)
{
    Bytes body;
    wire::Writer w(body);
    put_size(w, size);
    return body;
}

Bytes encode_env(std::string_view name, std::string_view value)
{
    Bytes body;
    wire::Writer w(body);
    w.put_string(name);
    w.put_string(value);
    return body;
}

Bytes encode_signal(std::string_view name)
{
    return encode_exec(name);  // the same shape: one string
}

Bytes encode_break(uint32_t milliseconds)
{
    Bytes body;
    wire::Writer(body).put_u32(milliseconds);
    return body;
}

Bytes encode_exit_status(uint32_t status)
{
    return encode_break(status);  // the same shape: one uint32
}

Bytes encode_exit_signal(std::string_view signal, bool core_dumped, std::string_view message)
{
    Bytes body;
    wire::Writer w(body);
    w.put_string(signal);
    w.put_bool(core_dumped);
    w.put_string(message);
    w.put_string("");  // language tag
    return body;
}

std::vector<TerminalMode> decode_terminal_modes(ByteView encoded)
{
    std::vector<TerminalMode> modes;
    wire::Reader r(encoded, "pty-req terminal modes");
    while (r.remaining() > 0) {
        const uint8_t opcode = r.get_u8();
        if (opcode == tty_op_end || opcode >= first_undefined_opcode) {
            break;
        }
        modes.push_back(TerminalMode{opcode, r.get_u32()});
    }
    return modes;
}

Bytes encode_terminal_modes(const std::vector<TerminalMode>& modes)
{
    Bytes out;
    wire::Writer w(out);
    for (const TerminalMode& mode : modes) {
        w.put_u8(mode.opcode);
        w.put_u32(mode.value);
    }
    w.put_u8(tty_op_end);
    return out;
}

}  // namespace burrow::protocol::channels
