#include "client/stdio_streams.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <cerrno>

namespace burrow::client {

FdFlagsGuard::FdFlagsGuard()
{
    for (int fd = 0; fd < 3; ++fd) {
        m_flags[static_cast<size_t>(fd)] = ::fcntl(fd, F_GETFL);
    }
}

FdFlagsGuard::~FdFlagsGuard()
{
    for (int fd = 0; fd < 3; ++fd) {
        const int flags = m_flags[static_cast<size_t>(fd)];
        if (flags >= 0) {
            ::fcntl(fd, F_SETFL, flags);
        }
    }
}

bool write_fully(int fd, ByteView data)
{
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n >= 0) {
            data = data.subspan(static_cast<size_t>(n));
            continue;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            pollfd pfd{fd, POLLOUT, 0};
            ::poll(&pfd, 1, -1);
            continue;
        }
        return false;
    }
    return true;
}

StdinReader::StdinReader(const boost::asio::any_io_executor& executor, bool use_stdin)
    : m_executor(executor), m_descriptor(executor)
{
    if (!use_stdin) {
        return;
    }
    const int fd = ::fcntl(0, F_DUPFD_CLOEXEC, 3);
    if (fd < 0) {
        return;  // no stdin at all: behave as empty input
    }
    boost::system::error_code ec;
    m_descriptor.assign(fd, ec);
    if (ec) {
        // The reactor refused the descriptor: read it with plain blocking reads.
        m_blocking = true;
        m_descriptor.release();
        ::close(fd);
    }
    m_open = true;
}

void StdinReader::read(size_t max, Handler handler)
{
    max = std::min(max, m_buffer.size());
    m_busy = true;
    if (!m_open) {
        boost::asio::post(m_executor, [this, handler = std::move(handler)] {
            m_busy = false;
            handler({}, true);
        });
        return;
    }
    if (m_blocking) {
        read_blocking(max, std::move(handler));
        return;
    }
    m_descriptor.async_read_some(
        boost::asio::buffer(m_buffer.data(), max),
        [this, max, handler = std::move(handler)](const boost::system::error_code& ec, size_t n) {
            if (ec == boost::asio::error::operation_not_supported && m_open) {
                // Asio only supports regular files that never block; anything
                // else it cannot poll is read the plain way from now on.
                m_blocking = true;
                read_blocking(max, handler);
                return;
            }
            m_busy = false;
            if (ec || n == 0) {
                handler({}, true);
                return;
            }
            handler(ByteView(m_buffer.data(), n), false);
        });
}

void StdinReader::read_blocking(size_t max, Handler handler)
{
    ssize_t n = 0;
    while (true) {
        n = ::read(0, m_buffer.data(), max);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            pollfd pfd{0, POLLIN, 0};
            ::poll(&pfd, 1, -1);
            continue;
        }
        if (n >= 0 || errno != EINTR) {
            break;
        }
    }
    const size_t got = n > 0 ? static_cast<size_t>(n) : 0;
    boost::asio::post(m_executor, [this, got, handler = std::move(handler)] {
        m_busy = false;
        if (got == 0) {
            handler({}, true);
        } else {
            handler(ByteView(m_buffer.data(), got), false);
        }
    });
}

void StdinReader::restore_nonblocking()
{
    if (!m_open || m_blocking || !m_descriptor.is_open()) {
        return;
    }
    const int fd = m_descriptor.native_handle();
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0 && (flags & O_NONBLOCK) == 0) {
        ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    }
}

void StdinReader::close()
{
    m_open = false;
    boost::system::error_code ignored;
    m_descriptor.cancel(ignored);
    m_descriptor.close(ignored);
}

}  // namespace burrow::client
