#include "corrupting_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace burrow::interop_test {
namespace {

sockaddr_in loopback(uint16_t port)
{
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

uint16_t local_port_of(int fd)
{
    sockaddr_in address{};
    socklen_t length = sizeof(address);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    return ntohs(address.sin_port);
}

/// Writes all of @p data; false if the peer is gone.
bool send_all(int fd, const char* data, size_t size)
{
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        data += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

}  // namespace

CorruptingProxy::CorruptingProxy(uint16_t target_port, uint64_t flip_at)
    : m_target_port(target_port), m_flip_at(flip_at)
{
    m_listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const sockaddr_in address = loopback(0);
    if (m_listen_fd < 0 ||
        ::bind(m_listen_fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0 ||
        ::listen(m_listen_fd, 1) != 0 || ::pipe2(m_wake_pipe, O_CLOEXEC) != 0) {
        const int error = errno;
        ::close(m_listen_fd);
        throw std::system_error(error, std::generic_category(), "proxy listen on 127.0.0.1");
    }
    m_port = local_port_of(m_listen_fd);
    m_thread = std::thread([this] { serve(); });
}

CorruptingProxy::~CorruptingProxy()
{
    const char wake = 1;
    [[maybe_unused]] const ssize_t ignored = ::write(m_wake_pipe[1], &wake, 1);
    m_thread.join();
    ::close(m_listen_fd);
    ::close(m_wake_pipe[0]);
    ::close(m_wake_pipe[1]);
}

void CorruptingProxy::serve()
{
    pollfd waits[2] = {{m_listen_fd, POLLIN, 0}, {m_wake_pipe[0], POLLIN, 0}};
    while (::poll(waits, 2, -1) < 0 && errno == EINTR) {
    }
    if ((waits[1].revents & POLLIN) != 0) {
        return;  // stopped before any client came
    }
    const int client = ::accept4(m_listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
        return;
    }
    const int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const sockaddr_in target = loopback(m_target_port);
    if (server >= 0 &&
        ::connect(server, reinterpret_cast<const sockaddr*>(&target), sizeof(target)) == 0) {
        m_upstream_port = local_port_of(server);
        forward(client, server);
    }
    ::close(server);
    ::close(client);
}

void CorruptingProxy::forward(int client, int server)
{
    uint64_t upstream_offset = 0;
    bool client_open = true;
    bool server_open = true;
    char buffer[16384];
    while (client_open || server_open) {
        pollfd waits[3] = {{client, static_cast<short>(client_open ? POLLIN : 0), 0},
                           {server, static_cast<short>(server_open ? POLLIN : 0), 0},
                           {m_wake_pipe[0], POLLIN, 0}};
        if (::poll(waits, 3, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            return;
        }
        if ((waits[2].revents & POLLIN) != 0) {
            return;
        }
        if (client_open && waits[0].revents != 0) {
            const ssize_t n = ::recv(client, buffer, sizeof(buffer), 0);
            if (n <= 0) {
                client_open = false;
                ::shutdown(server, SHUT_WR);
            } else {
                const auto size = static_cast<uint64_t>(n);
                if (m_flip_at >= upstream_offset && m_flip_at < upstream_offset + size) {
                    buffer[m_flip_at - upstream_offset] ^= 0x01;
                    m_flipped = true;
                }
                upstream_offset += size;
                m_upstream_bytes = upstream_offset;
                client_open = send_all(server, buffer, static_cast<size_t>(n));
            }
        }
        if (server_open && waits[1].revents != 0) {
            const ssize_t n = ::recv(server, buffer, sizeof(buffer), 0);
            if (n <= 0 || !send_all(client, buffer, static_cast<size_t>(n))) {
                server_open = false;
                ::shutdown(client, SHUT_WR);
            } else {
                m_downstream_bytes += static_cast<uint64_t>(n);
            }
        }
    }
}

}  // namespace burrow::interop_test
