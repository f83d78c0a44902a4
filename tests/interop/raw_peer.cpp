#include "raw_peer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace burrow::interop_test {
namespace {

/// RFC 4253 §6.1: implementations must handle packets of at least 35000 bytes; anything far
/// larger from a server before key exchange is not a packet we can frame.
constexpr uint32_t max_plain_packet = 256 * 1024;

uint32_t read_uint32(const std::string& bytes, size_t offset)
{
    uint32_t value = 0;
    for (size_t i = 0; i < 4; ++i) {
        value = (value << 8) | static_cast<unsigned char>(bytes[offset + i]);
    }
    return value;
}

}  // namespace

RawConnection::RawConnection(uint16_t port)
{
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_fd < 0) {
        throw std::system_error(errno, std::generic_category(), "socket");
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(m_fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
        const int error = errno;
        ::close(m_fd);
        throw std::system_error(error, std::generic_category(), "connect to 127.0.0.1");
    }
    sockaddr_in local{};
    socklen_t length = sizeof(local);
    ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&local), &length);
    m_local_port = ntohs(local.sin_port);
}

RawConnection::~RawConnection()
{
    ::close(m_fd);
}

void RawConnection::send(const std::string& bytes)
{
    size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(m_fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;
        }
        sent += static_cast<size_t>(n);
    }
}

void RawConnection::shutdown_write()
{
    ::shutdown(m_fd, SHUT_WR);
}

RawConnection::Received RawConnection::read_until_closed(Clock::duration timeout)
{
    Received received;
    const Clock::time_point deadline = Clock::now() + timeout;
    char buffer[4096];
    while (Clock::now() < deadline) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        pollfd entry{m_fd, POLLIN, 0};
        const int ready = ::poll(&entry, 1, static_cast<int>(std::max<long>(left.count(), 1)));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready <= 0) {
            continue;  // the loop condition ends the wait at the deadline
        }
        const ssize_t n = ::recv(m_fd, buffer, sizeof(buffer), 0);
        if (n > 0) {
            received.bytes.append(buffer, static_cast<size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        received.closed = true;  // end-of-file, or a reset: either way the server hung up
        break;
    }
    return received;
}

std::string wire_uint32(uint32_t value)
{
    std::string out(4, '\0');
    for (size_t i = 0; i < 4; ++i) {
        out[i] = static_cast<char>((value >> (24 - 8 * i)) & 0xff);
    }
    return out;
}

std::string wire_string(const std::string& value)
{
    return wire_uint32(static_cast<uint32_t>(value.size())) + value;
}

std::string make_packet(const std::string& payload)
{
    // packet_length (4) + padding_length (1) + payload + padding must be a multiple of 8,
    // with at least 4 bytes of padding.
    size_t padding = 8 - (5 + payload.size()) % 8;
    if (padding < 4) {
        padding += 8;
    }
    const auto packet_length = static_cast<uint32_t>(1 + payload.size() + padding);
    return wire_uint32(packet_length) + static_cast<char>(padding) + payload +
           std::string(padding, '\0');
}

std::string wire_name_list(const std::vector<std::string>& names)
{
    std::string joined;
    for (const std::string& name : names) {
        joined += (joined.empty() ? "" : ",") + name;
    }
    return wire_string(joined);
}

std::string kexinit_payload(const std::vector<std::string>& kex)
{
    const std::vector<std::string> ciphers{"chacha20-poly1305@openssh.com", "aes128-ctr"};
    const std::vector<std::string> macs{"hmac-sha2-256"};
    const std::vector<std::string> compression{"none"};
    std::string payload(1, static_cast<char>(20));  // SSH_MSG_KEXINIT
    payload += std::string(16, '\x5a');             // cookie: random in real life, any here
    payload += wire_name_list(kex);
    payload += wire_name_list({"ssh-ed25519"});
    payload += wire_name_list(ciphers) + wire_name_list(ciphers);
    payload += wire_name_list(macs) + wire_name_list(macs);
    payload += wire_name_list(compression) + wire_name_list(compression);
    payload += wire_name_list({}) + wire_name_list({});  // languages
    payload += std::string(1, '\0');                     // first_kex_packet_follows
    payload += wire_uint32(0);                           // reserved
    return payload;
}

ServerStream frame_server_stream(const std::string& bytes)
{
    ServerStream stream;
    // RFC 4253 §4.2: the server may send other lines before its version line.
    size_t offset = 0;
    while (stream.version_line.empty()) {
        const size_t end = bytes.find('\n', offset);
        if (end == std::string::npos) {
            return stream;
        }
        std::string line = bytes.substr(offset, end - offset);
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        offset = end + 1;
        if (line.rfind("SSH-", 0) == 0) {
            stream.version_line = line;
        }
    }
    while (bytes.size() - offset >= 5) {
        const uint32_t length = read_uint32(bytes, offset);
        if (length < 2 || length > max_plain_packet || bytes.size() - offset - 4 < length) {
            break;
        }
        const auto padding = static_cast<unsigned char>(bytes[offset + 4]);
        if (padding + 1u > length) {
            break;
        }
        stream.payloads.push_back(bytes.substr(offset + 5, length - 1 - padding));
        offset += 4 + length;
    }
    return stream;
}

bool has_disconnect(const ServerStream& stream)
{
    return std::any_of(
        stream.payloads.begin(), stream.payloads.end(),
        [](const std::string& payload) { return !payload.empty() && payload[0] == '\x01'; });
}

size_t count_messages(const ServerStream& stream, unsigned char message)
{
    return static_cast<size_t>(std::count_if(
        stream.payloads.begin(), stream.payloads.end(), [message](const std::string& payload) {
            return !payload.empty() && static_cast<unsigned char>(payload[0]) == message;
        }));
}

}  // namespace burrow::interop_test
