// The local terminal of an interactive session: raw mode while a remote pty
// is in use (restored on every exit path by RAII), and the facts pty-req
// needs (size, modes).
#pragma once

#include <termios.h>

#include <optional>

#include "protocol/session_types.h"

namespace burrow::client {

/// True if `fd` is a terminal.
bool is_terminal(int fd);

/// The window size of the terminal on `fd`, or nullopt if it is not one.
std::optional<protocol::WindowSize> terminal_size(int fd);

/// Puts a terminal into raw mode and back. The saved settings are restored
/// by leave() and by the destructor, so errors and exceptions (and signals,
/// which only end the event loop) leave the terminal as it was found.
class RawTerminal final {
public:
    /// Works on `fd` (normally standard input); nothing changes until enter().
    explicit RawTerminal(int fd);
    ~RawTerminal();
    RawTerminal(const RawTerminal&) = delete;
    RawTerminal& operator=(const RawTerminal&) = delete;

    /// Save the current settings (first time only) and switch to raw mode.
    /// False if `fd` is not a terminal.
    bool enter();
    /// Restore the saved settings; harmless when not in raw mode.
    void leave();
    bool active() const { return m_active; }
    /// The settings found before raw mode (or the current ones if never
    /// entered); nullopt if `fd` is not a terminal.
    std::optional<termios> original() const;

private:
    int m_fd;
    std::optional<termios> m_saved;
    bool m_active = false;
};

/// `t` changed into raw mode as ssh(1) uses it: no echo, no line editing, no
/// signal keys, no CR/NL translation or output processing, one byte at a
/// time. Kept apart from RawTerminal so it can be tested without a terminal.
termios make_raw(const termios& t);

}  // namespace burrow::client
