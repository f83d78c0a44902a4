#include "server/pseudo_terminal.h"

#include <fcntl.h>
#include <grp.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

#include "protocol/terminal_modes.h"

namespace burrow::server {

namespace {

/// Terminal permissions a login leaves: rw for the user, w for group tty
/// (so write(1) works), nothing for others.
constexpr mode_t tty_mode = 0620;

winsize to_winsize(const protocol::WindowSize& size)
{
    winsize ws{};
    ws.ws_col = static_cast<unsigned short>(size.cols);
    ws.ws_row = static_cast<unsigned short>(size.rows);
    ws.ws_xpixel = static_cast<unsigned short>(size.width_px);
    ws.ws_ypixel = static_cast<unsigned short>(size.height_px);
    return ws;
}

void close_fd(int& fd)
{
    if (fd >= 0) {
        close(fd);
        fd = -1;
    }
}

}  // namespace

Pty::~Pty()
{
    close_fd(m_master);
    close_fd(m_slave);
}

Pty::Pty(Pty&& other) noexcept
    : m_master(std::exchange(other.m_master, -1)),
      m_slave(std::exchange(other.m_slave, -1)),
      m_name(std::move(other.m_name))
{
}

Pty& Pty::operator=(Pty&& other) noexcept
{
    if (this != &other) {
        close_fd(m_master);
        close_fd(m_slave);
        m_master = std::exchange(other.m_master, -1);
        m_slave = std::exchange(other.m_slave, -1);
        m_name = std::move(other.m_name);
    }
    return *this;
}

std::string Pty::open(const PtySettings& settings, const UserInfo& owner)
{
    std::array<char, 64> name{};
    winsize ws = to_winsize(settings.size);
    if (openpty(&m_master, &m_slave, name.data(), nullptr, &ws) != 0) {
        return std::string("openpty: ") + std::strerror(errno);
    }
    m_name = name.data();
    fcntl(m_master, F_SETFD, FD_CLOEXEC);
    fcntl(m_slave, F_SETFD, FD_CLOEXEC);
    // RFC 4254 §6.2/§8: start from the kernel's defaults, then the client's modes.
    termios t{};
    if (tcgetattr(m_slave, &t) == 0) {
        protocol::apply_terminal_modes(settings.modes, t);
        tcsetattr(m_slave, TCSANOW, &t);
    }
    const group* tty_group = getgrnam("tty");
    const gid_t gid = tty_group != nullptr ? tty_group->gr_gid : owner.gid;
    if (geteuid() == 0 && fchown(m_slave, owner.uid, gid) != 0) {
        return std::string("chown ") + m_name + ": " + std::strerror(errno);
    }
    if (fchmod(m_slave, tty_mode) != 0) {
        return std::string("chmod ") + m_name + ": " + std::strerror(errno);
    }
    return {};
}

int Pty::release_master()
{
    return std::exchange(m_master, -1);
}

void Pty::close_slave()
{
    close_fd(m_slave);
}

void set_window_size(int master_fd, const protocol::WindowSize& size)
{
    const winsize ws = to_winsize(size);
    ioctl(master_fd, TIOCSWINSZ, &ws);
}

void send_break(int master_fd, uint32_t milliseconds)
{
    // Linux's tcsendbreak() ignores its duration; TCSBRKP takes tenths of a
    // second and is the closest to the requested length.
    const int tenths = static_cast<int>(std::min<uint32_t>(milliseconds, 3000) / 100);
    if (ioctl(master_fd, TCSBRKP, tenths) != 0) {
        tcsendbreak(master_fd, 0);
    }
}

}  // namespace burrow::server
