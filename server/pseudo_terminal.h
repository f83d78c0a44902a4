// Pseudo-terminals for sessions that asked for one (RFC 4254 §6.2): the
// master stays with burrowd, the slave becomes the session's controlling
// terminal, owned by the user like a login terminal.
#pragma once

#include <string>

#include "protocol/session_types.h"
#include "server/user.h"

namespace burrow::server {

/// What the client asked for in pty-req.
struct PtySettings {
    std::string term;
    protocol::WindowSize size;
    std::vector<protocol::TerminalMode> modes;
};

/// An open pty pair; closes what it still holds.
class Pty {
public:
    Pty() = default;
    ~Pty();
    Pty(Pty&& other) noexcept;
    Pty& operator=(Pty&& other) noexcept;
    Pty(const Pty&) = delete;
    Pty& operator=(const Pty&) = delete;

    /// openpty(), the requested modes and size applied to the slave, the
    /// slave owned by `owner` with mode 0620, group tty (as login(1) leaves a
    /// terminal). Returns an error text, empty on success.
    std::string open(const PtySettings& settings, const UserInfo& owner);

    int master() const { return m_master; }
    int slave() const { return m_slave; }
    /// "/dev/pts/3"
    const std::string& name() const { return m_name; }
    /// Give up the master (the session's I/O owns it now).
    int release_master();
    /// Close our copy of the slave once the child has its own.
    void close_slave();

private:
    int m_master = -1;
    int m_slave = -1;
    std::string m_name;
};

/// TIOCSWINSZ on the master: the kernel sends SIGWINCH to the terminal's
/// foreground process group (RFC 4254 §6.7).
void set_window_size(int master_fd, const protocol::WindowSize& size);

/// RFC 4335 §3: send a break of about `milliseconds` on the terminal.
void send_break(int master_fd, uint32_t milliseconds);

}  // namespace burrow::server
