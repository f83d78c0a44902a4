#include "protocol/transport/version.h"

#include "protocol/error.h"

namespace burrow::protocol::transport {

size_t VersionExchange::consume(ByteView input)
{
    size_t used = 0;
    while (!m_done && used < input.size()) {
        const char c = static_cast<char>(input[used++]);
        if (c == '\n') {
            finish_line();
            continue;
        }
        // RFC 4253 §4.2: the line, CR LF included, is at most 255 bytes.
        if (m_line.size() + 2 >= limits::max_version_line) {
            throw ProtocolError(DisconnectReason::protocol_error,
                                "identification line longer than 255 bytes");
        }
        m_line.push_back(c);
    }
    return used;
}

void VersionExchange::finish_line()
{
    std::string line = std::move(m_line);
    m_line.clear();
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();
    }
    if (line.rfind("SSH-", 0) != 0) {
        // RFC 4253 §4.2: only the server may send other lines first; a
        // client must not, so a server rejects anything but the version.
        if (m_role == Role::server) {
            throw ProtocolError(DisconnectReason::protocol_error,
                                "invalid SSH identification string");
        }
        if (++m_lines_seen > limits::max_pre_version_lines) {
            throw ProtocolError(DisconnectReason::protocol_error,
                                "too many lines before the identification string");
        }
        return;
    }
    // "SSH-1.99" announces a server that also speaks 2.0 (RFC 4253 §5.1).
    if (line.rfind("SSH-2.0-", 0) != 0 && line.rfind("SSH-1.99-", 0) != 0) {
        throw ProtocolError(DisconnectReason::protocol_version_not_supported,
                            "unsupported protocol version in \"" + line.substr(0, 64) + "\"");
    }
    for (const char ch : line) {
        if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) {
            throw ProtocolError(DisconnectReason::protocol_error,
                                "control character in identification string");
        }
    }
    m_version = std::move(line);
    m_done = true;
}

}  // namespace burrow::protocol::transport
