// Encoding and decoding of the typed session channel requests (RFC 4254 §6,
// RFC 4335): exec, subsystem, pty-req, window-change, env, signal, break and
// the exit reports. The connection service parses incoming requests with
// parse_request_body(); Connection's commands build outgoing ones here.
#pragma once

#include <string_view>

#include "crypto/bytes.h"
#include "protocol/events.h"
#include "protocol/wire/reader.h"

namespace burrow::protocol::channels {

/// Largest encoded terminal modes string accepted in a pty-req. OpenSSH sends
/// about 300 bytes; anything near this is hostile.
inline constexpr size_t max_terminal_modes = 4096;
/// Longest command (exec) or subsystem name accepted.
inline constexpr size_t max_command = 256 * 1024;
/// Longest environment variable name and value (env request).
inline constexpr size_t max_env_name = 256;
inline constexpr size_t max_env_value = 32 * 1024;
/// Longest TERM value in a pty-req.
inline constexpr size_t max_term = 256;
/// Largest terminal we believe in (rows or columns); bigger is hostile.
inline constexpr uint32_t max_terminal_cells = 65535;

/// Fill the typed fields of `req` from its type-specific bytes; unknown types
/// keep them in `req.raw`. Throws ProtocolError on malformed bodies.
void parse_request_body(wire::Reader& r, ChannelRequest& req);

/// Type-specific bytes of each request (what follows "want reply").
Bytes encode_exec(std::string_view command);
Bytes encode_pty_request(const PtyRequest& pty);
Bytes encode_window_change(const WindowSize& size);
Bytes encode_env(std::string_view name, std::string_view value);
Bytes encode_signal(std::string_view name);
Bytes encode_break(uint32_t milliseconds);
Bytes encode_exit_status(uint32_t status);
Bytes encode_exit_signal(std::string_view signal, bool core_dumped, std::string_view message);

/// RFC 4254 §8 encoded terminal modes: opcode bytes 1..159 each followed by a
/// uint32, ended by TTY_OP_END (0). Opcodes 160..255 stop the parse (§8:
/// "not yet defined, and cause parsing to stop").
std::vector<TerminalMode> decode_terminal_modes(ByteView encoded);
Bytes encode_terminal_modes(const std::vector<TerminalMode>& modes);

}  // namespace burrow::protocol::channels
