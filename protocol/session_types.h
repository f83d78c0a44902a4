// The typed contents of session channel requests (RFC 4254 §6): terminal
// size, pty request with its encoded terminal modes. Plain data shared by the
// core, burrowd and burrow.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace burrow::protocol {

/// Terminal dimensions (RFC 4254 §6.2, §6.7): characters and pixels; a zero
/// pixel size means "unknown".
struct WindowSize {
    uint32_t cols = 0;
    uint32_t rows = 0;
    uint32_t width_px = 0;
    uint32_t height_px = 0;
};

/// One encoded terminal mode (RFC 4254 §8): opcode 1..159 with its argument.
struct TerminalMode {
    uint8_t opcode = 0;
    uint32_t value = 0;
};

/// "pty-req" (RFC 4254 §6.2).
struct PtyRequest {
    std::string term;  ///< TERM value, e.g. "xterm-256color"
    WindowSize size;
    std::vector<TerminalMode> modes;
};

}  // namespace burrow::protocol
