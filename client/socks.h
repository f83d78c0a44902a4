// The server half of a SOCKS handshake, without I/O: the bytes a SOCKS
// client sends go in, the request (host and port to connect) and the bytes
// to answer come out. Used by burrow -D (the client's local SOCKS entry)
// and by reverse dynamic forwarding (-R port: each forwarded channel
// carries a SOCKS client's bytes).
//
// Versions: SOCKS5 (RFC 1928) with "no authentication" only, and SOCKS4
// with the SOCKS4a extension (a host name after the user id when the
// address is 0.0.0.x). Only CONNECT is offered.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "crypto/bytes.h"

namespace burrow::client::socks {

/// Handshake bytes held before a complete request must have arrived; the
/// largest legal handshake (SOCKS4a with a 255-byte user id and host name)
/// is 520 bytes.
inline constexpr size_t max_handshake_bytes = 1024;
/// Longest SOCKS4 user id or SOCKS4a host name accepted, without its NUL.
inline constexpr size_t max_socks4_field = 255;

enum class Version { socks4, socks5 };

/// The outcome reported to the client in the final reply.
enum class Reply {
    success,
    general_failure,      ///< SOCKS5 0x01, SOCKS4 0x5B
    network_unreachable,  ///< SOCKS5 0x03, SOCKS4 0x5B
    host_unreachable,     ///< SOCKS5 0x04, SOCKS4 0x5B
    connection_refused,   ///< SOCKS5 0x05, SOCKS4 0x5B
};

/// One SOCKS handshake, server side. Feed it what the client sends; send
/// take_output() back after each feed(). Once the request is ready, connect
/// and send reply_bytes() with the outcome.
class Handshake {
public:
    enum class State {
        need_more,      ///< feed more bytes
        request_ready,  ///< host(), port() are set; answer with reply_bytes()
        failed,         ///< give up: send take_output() (maybe empty), then close
    };

    /// Consume bytes from the client. After request_ready, further bytes are
    /// pipelined data and only added to the leftover (the caller bounds them:
    /// it stops reading, or a channel window limits them).
    State feed(ByteView data);

    State state() const { return m_state; }
    /// Bytes to send to the client now (method selection, refusals); empties
    /// the pending output.
    Bytes take_output();

    /// Valid once request_ready.
    Version version() const { return m_version; }
    const std::string& host() const { return m_host; }
    uint16_t port() const { return m_port; }

    /// Why the handshake failed (for logs; never contains client secrets).
    const std::string& failure() const { return m_failure; }

    /// The final reply for a ready request. SOCKS5 replies carry an
    /// unspecified bound address (0.0.0.0:0): the real one is on the far
    /// side of the SSH connection.
    Bytes reply_bytes(Reply reply) const;

    /// Bytes the client sent after its request (application data that
    /// must reach the target first); empties the leftover.
    Bytes take_leftover();

private:
    enum class Step { ready, need_more, failed };
    void parse();
    Step parse_socks5_greeting();
    Step parse_socks5_request();
    Step parse_socks4_request();
    /// Fail with `why`, queueing `refusal` for the client (may be empty).
    Step fail(std::string why, Bytes refusal = {});

    State m_state = State::need_more;
    Bytes m_buffer;  ///< handshake bytes not yet parsed
    Bytes m_output;
    Bytes m_leftover;
    bool m_greeted = false;  ///< SOCKS5 method selection done
    Version m_version = Version::socks5;
    std::string m_host;
    uint16_t m_port = 0;
    std::string m_failure;
};

}  // namespace burrow::client::socks
