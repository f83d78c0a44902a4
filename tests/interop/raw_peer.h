#pragma once
/// @file
/// A raw TCP peer for feeding malformed input to a server, and just enough of the SSH binary
/// packet format (RFC 4253 §6, unencrypted, before the first key exchange) to build packets and
/// to frame what the server sends back.

#include <cstdint>
#include <string>
#include <vector>

#include "harness.h"

namespace burrow::interop_test {

/// A blocking TCP connection to 127.0.0.1.
class RawConnection final {
public:
    explicit RawConnection(uint16_t port);
    ~RawConnection();
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    /// Our own port: what the server sees as the peer's port.
    uint16_t local_port() const { return m_local_port; }
    /// Sends @p bytes; errors (the server may already have closed) are ignored.
    void send(const std::string& bytes);
    /// Half-closes the connection: the server reads end-of-file.
    void shutdown_write();

    struct Received {
        std::string bytes;
        /// The server closed (end-of-file or reset) before the deadline.
        bool closed = false;
    };
    /// Reads until the server closes the connection or @p timeout passes.
    Received read_until_closed(Clock::duration timeout);

private:
    int m_fd = -1;
    uint16_t m_local_port = 0;
};

/// uint32 in network byte order (RFC 4251 §5).
std::string wire_uint32(uint32_t value);
/// string: uint32 length then the bytes (RFC 4251 §5).
std::string wire_string(const std::string& value);

/// A well-formed unencrypted binary packet carrying @p payload (RFC 4253 §6: at least four bytes
/// of padding, total length a multiple of eight).
std::string make_packet(const std::string& payload);

/// name-list: a string of comma-separated names (RFC 4251 §5).
std::string wire_name_list(const std::vector<std::string>& names);

/// An SSH_MSG_KEXINIT payload (RFC 4253 §7.1) offering @p kex (which may carry markers such as
/// "kex-strict-c-v00@openssh.com") with ssh-ed25519, chacha20-poly1305 and aes128-ctr,
/// hmac-sha2-256, no compression and first_kex_packet_follows false.
std::string kexinit_payload(const std::vector<std::string>& kex);

/// What a server sent before key exchange, split into its parts.
struct ServerStream {
    /// The "SSH-2.0-..." line without CR LF; empty if none arrived.
    std::string version_line;
    /// Payloads of the complete packets after the version line.
    std::vector<std::string> payloads;
};

/// Splits @p bytes into the server's version line and its unencrypted packets; stops at the
/// first incomplete or implausible packet.
ServerStream frame_server_stream(const std::string& bytes);

/// True if one of the payloads is SSH_MSG_DISCONNECT (message number 1, RFC 4253 §11.1).
bool has_disconnect(const ServerStream& stream);

/// Number of payloads with message number @p message.
size_t count_messages(const ServerStream& stream, unsigned char message);

}  // namespace burrow::interop_test
