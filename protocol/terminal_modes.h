// Translation between RFC 4254 §8 encoded terminal modes and POSIX termios.
// A pure function of its arguments (no terminal is touched): burrow encodes
// the local terminal's settings for pty-req, burrowd applies the requested
// modes to the pty it allocates.
#pragma once

#include <termios.h>

#include <vector>

#include "protocol/session_types.h"

namespace burrow::protocol {

/// The modes of `t` that RFC 4254 §8 can express (control characters,
/// input/local/output/control flags, speeds), in opcode order.
std::vector<TerminalMode> encode_termios(const termios& t);

/// Apply `modes` to `t`; opcodes this platform lacks are ignored (RFC 4254
/// §8 lets the server ignore modes it does not know).
void apply_terminal_modes(const std::vector<TerminalMode>& modes, termios& t);

}  // namespace burrow::protocol
