// Protocol version exchange (RFC 4253 §4.2).
#pragma once

#include <optional>
#include <string>

#include "crypto/bytes.h"
#include "protocol/connection.h"

namespace burrow::protocol::transport {

/// Incrementally finds the peer's identification line in the input.
class VersionExchange {
public:
    explicit VersionExchange(Role role) : m_role(role) {}

    /// Consume from `input`; returns how many bytes were used. Once done()
    /// is true, the remaining bytes belong to the binary packet protocol.
    /// Throws ProtocolError on a bad or oversized line.
    size_t consume(ByteView input);
    bool done() const { return m_done; }
    /// The peer's identification string without CR LF (V_C / V_S for H).
    const std::string& peer_version() const { return m_version; }

private:
    void finish_line();

    Role m_role;
    std::string m_line;
    std::string m_version;
    size_t m_lines_seen = 0;
    bool m_done = false;
};

}  // namespace burrow::protocol::transport
