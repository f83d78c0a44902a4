#include "auth_probe.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "protocol/error.h"
#include "protocol/messages/numbers.h"

namespace burrow::interop_test {

namespace {

int connect_loopback(uint16_t port, uint16_t& local_port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        throw std::system_error(errno, std::generic_category(), "socket");
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
        const int error = errno;
        ::close(fd);
        throw std::system_error(error, std::generic_category(), "connect to 127.0.0.1");
    }
    sockaddr_in local{};
    socklen_t length = sizeof(local);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length);
    local_port = ntohs(local.sin_port);
    return fd;
}

}  // namespace

void put_u32(Bytes& out, uint32_t value)
{
    for (int shift = 24; shift >= 0; shift -= 8) {
        out.push_back(static_cast<uint8_t>(value >> shift));
    }
}

void put_string(Bytes& out, ByteView bytes)
{
    put_u32(out, static_cast<uint32_t>(bytes.size()));
    out.insert(out.end(), bytes.begin(), bytes.end());
}

void put_string(Bytes& out, std::string_view text)
{
    put_string(out, as_bytes(text));
}

AuthProbe::AuthProbe(uint16_t port, Clock::duration timeout)
    : m_fd(connect_loopback(port, m_local_port)), m_rng(crypto::make_system_rng())
{
    protocol::Config config;
    config.role = protocol::Role::client;
    config.version = "SSH-2.0-BurrowAuthProbe_1.0";
    config.rng = m_rng.get();
    m_impl = std::make_unique<protocol::ConnectionImpl>(std::move(config), *this);
    m_impl->guarded([&] { m_impl->start(protocol::Millis(0)); });
    const Clock::time_point deadline = Clock::now() + timeout;
    while (!m_ready && !m_closed && Clock::now() < deadline) {
        pump(std::chrono::milliseconds(100));
    }
}

AuthProbe::~AuthProbe()
{
    ::close(m_fd);
}

void AuthProbe::on_host_key(const protocol::HostKeyCheck&)
{
    // The test talks to its own server; the host key is not what is tested.
    m_impl->guarded([&] { m_impl->m_kex.host_key_verdict(true); });
}

Bytes AuthProbe::session_id() const
{
    const ByteView id = m_impl->m_kex.session_id();
    return Bytes(id.begin(), id.end());
}

void AuthProbe::send(const Bytes& payload)
{
    // Straight into the outbox: sealed with the current keys, never dispatched locally.
    Bytes& out = m_impl->m_outbox.begin();
    out.insert(out.end(), payload.begin(), payload.end());
    m_impl->m_outbox.end();
    flush();
}

void AuthProbe::flush()
{
    // Never blocks: a server refusing a huge packet stops reading, and what it
    // says meanwhile (its DISCONNECT) must still be read.
    while (!m_closed) {
        const ByteView pending = m_impl->m_encoder.pending();
        if (pending.empty()) {
            return;
        }
        const ssize_t n = ::send(m_fd, pending.data(), pending.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return;
        }
        if (n <= 0) {
            m_closed = true;  // the server may already have hung up
            return;
        }
        m_impl->m_encoder.consume(static_cast<size_t>(n));
    }
}

void AuthProbe::collect()
{
    try {
        while (const auto payload = m_impl->m_decoder.next_payload()) {
            if (!payload->empty()) {
                m_replies.push_back(Reply{(*payload)[0], Bytes(payload->begin(), payload->end())});
            }
        }
        m_impl->m_decoder.compact();
    } catch (const protocol::ProtocolError&) {
        m_closed = true;  // garbage from the server ends the probe
    }
}

bool AuthProbe::pump(Clock::duration wait)
{
    flush();
    if (m_closed) {
        return false;
    }
    const bool writing = !m_impl->m_encoder.pending().empty();
    pollfd p{m_fd, static_cast<short>(POLLIN | (writing ? POLLOUT : 0)), 0};
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(wait).count();
    if (::poll(&p, 1, static_cast<int>(ms)) <= 0) {
        return true;
    }
    if ((p.revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
        return true;  // writable only: flush() runs on the next round
    }
    uint8_t buffer[65536];
    const ssize_t n = ::read(m_fd, buffer, sizeof(buffer));
    if (n <= 0) {
        m_closed = true;
        return false;
    }
    const ByteView data(buffer, static_cast<size_t>(n));
    if (m_ready) {
        // After SERVICE_ACCEPT: decrypt only, the test reads the replies.
        m_impl->m_decoder.append(data);
        collect();
    } else {
        m_impl->feed(data);
        if (m_impl->m_closing) {
            m_closed = true;
        }
    }
    return !m_closed;
}

bool AuthProbe::wait_closed(Clock::duration timeout)
{
    const Clock::time_point deadline = Clock::now() + timeout;
    while (!m_closed && Clock::now() < deadline) {
        pump(std::chrono::milliseconds(100));
    }
    return m_closed;
}

std::optional<Reply> AuthProbe::wait_for(uint8_t type, Clock::duration timeout)
{
    const size_t seen = m_replies.size();
    const Clock::time_point deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        for (size_t i = seen; i < m_replies.size(); ++i) {
            if (m_replies[i].type == type) {
                return m_replies[i];
            }
        }
        if (m_closed) {
            break;
        }
        pump(std::chrono::milliseconds(100));
    }
    return std::nullopt;
}

std::optional<std::pair<uint32_t, std::string>> AuthProbe::disconnect() const
{
    for (const Reply& reply : m_replies) {
        // RFC 4253 §11.1: byte 1, uint32 reason code, string description, string language.
        if (reply.type == protocol::msg::disconnect && reply.payload.size() >= 9) {
            const Bytes& p = reply.payload;
            const uint32_t code = (uint32_t{p[1]} << 24) | (uint32_t{p[2]} << 16) |
                                  (uint32_t{p[3]} << 8) | uint32_t{p[4]};
            const uint32_t length = (uint32_t{p[5]} << 24) | (uint32_t{p[6]} << 16) |
                                    (uint32_t{p[7]} << 8) | uint32_t{p[8]};
            if (p.size() >= 9 + size_t{length}) {
                return std::make_pair(
                    code, std::string(reinterpret_cast<const char*>(p.data()) + 9, length));
            }
        }
    }
    return std::nullopt;
}

}  // namespace burrow::interop_test
