#include "client/terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>

#include "client/log.h"

namespace burrow::client {

namespace {

/// tcsetattr() that survives EINTR (e.g. SIGWINCH arriving meanwhile).
void set_attributes(int fd, const termios& t)
{
    while (::tcsetattr(fd, TCSADRAIN, &t) != 0 && errno == EINTR) {
    }
}

}  // namespace

bool is_terminal(int fd)
{
    return ::isatty(fd) == 1;
}

std::optional<protocol::WindowSize> terminal_size(int fd)
{
    winsize ws{};
    if (::ioctl(fd, TIOCGWINSZ, &ws) != 0) {
        return std::nullopt;
    }
    protocol::WindowSize size;
    size.cols = ws.ws_col;
    size.rows = ws.ws_row;
    size.width_px = ws.ws_xpixel;
    size.height_px = ws.ws_ypixel;
    return size;
}

termios make_raw(const termios& t)
{
    termios raw = t;
    // Input: keep parity errors out, no CR/NL mapping, no flow control keys
    // (the remote terminal handles ^S/^Q), no stripping of the 8th bit.
    raw.c_iflag |= IGNPAR;
    raw.c_iflag &= ~static_cast<tcflag_t>(ISTRIP | INLCR | IGNCR | ICRNL | IXON | IXANY | IXOFF);
#ifdef IUCLC
    raw.c_iflag &= ~static_cast<tcflag_t>(IUCLC);
#endif
    // Local: the remote pty echoes, edits lines and turns ^C into SIGINT.
    raw.c_lflag &= ~static_cast<tcflag_t>(ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHONL | IEXTEN);
    // Output: the remote pty already turned "\n" into "\r\n".
    raw.c_oflag &= ~static_cast<tcflag_t>(OPOST);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    return raw;
}

RawTerminal::RawTerminal(int fd) : m_fd(fd) {}

RawTerminal::~RawTerminal()
{
    leave();
}

bool RawTerminal::enter()
{
    if (m_active) {
        return true;
    }
    termios current{};
    if (::tcgetattr(m_fd, &current) != 0) {
        return false;
    }
    m_saved = current;
    set_attributes(m_fd, make_raw(current));
    m_active = true;
    set_log_raw_terminal(true);  // output post-processing is off: lines need \r\n
    return true;
}

void RawTerminal::leave()
{
    if (!m_active || !m_saved) {
        return;
    }
    m_active = false;
    set_attributes(m_fd, *m_saved);
    set_log_raw_terminal(false);
}

std::optional<termios> RawTerminal::original() const
{
    if (m_saved) {
        return m_saved;
    }
    termios current{};
    if (::tcgetattr(m_fd, &current) != 0) {
        return std::nullopt;
    }
    return current;
}

}  // namespace burrow::client
