#include "client/socks.h"

#include <arpa/inet.h>

#include <sys/socket.h>
#include <algorithm>
#include <array>
#include <optional>

namespace burrow::client::socks {

namespace {

// RFC 1928 §3-§6 and the SOCKS4/4a protocol descriptions.
constexpr uint8_t socks4_version = 0x04;
constexpr uint8_t socks5_version = 0x05;
constexpr uint8_t method_no_auth = 0x00;          // RFC 1928 §3
constexpr uint8_t method_none_acceptable = 0xFF;  // RFC 1928 §3
constexpr uint8_t command_connect = 0x01;         // RFC 1928 §4, SOCKS4 CD
constexpr uint8_t atyp_ipv4 = 0x01;               // RFC 1928 §5
constexpr uint8_t atyp_domain = 0x03;
constexpr uint8_t atyp_ipv6 = 0x04;
// RFC 1928 §6 reply codes.
constexpr uint8_t rep_succeeded = 0x00;
constexpr uint8_t rep_general_failure = 0x01;
constexpr uint8_t rep_network_unreachable = 0x03;
constexpr uint8_t rep_host_unreachable = 0x04;
constexpr uint8_t rep_connection_refused = 0x05;
constexpr uint8_t rep_command_not_supported = 0x07;
constexpr uint8_t rep_address_type_not_supported = 0x08;
// SOCKS4 reply codes (the reply's version byte is 0).
constexpr uint8_t socks4_granted = 0x5A;
constexpr uint8_t socks4_rejected = 0x5B;
constexpr size_t socks4_header = 8;          // VN CD DSTPORT(2) DSTIP(4)
constexpr size_t socks5_request_header = 4;  // VER CMD RSV ATYP

uint16_t get_u16(const Bytes& b, size_t at)
{
    return static_cast<uint16_t>((b[at] << 8) | b[at + 1]);
}

/// RFC 1928 §6: VER REP RSV ATYP BND.ADDR BND.PORT, with 0.0.0.0:0.
Bytes socks5_reply(uint8_t code)
{
    return {socks5_version, code, 0x00, atyp_ipv4, 0, 0, 0, 0, 0, 0};
}

/// SOCKS4: VN=0 CD DSTPORT DSTIP (the port and address are ignored).
Bytes socks4_reply(uint8_t code)
{
    return {0x00, code, 0, 0, 0, 0, 0, 0};
}

/// Host names go into an SSH string and on to a resolver: printable ASCII
/// only, no spaces (a NUL or newline would only serve to confuse logs).
bool acceptable_host_name(const std::string& name)
{
    return !name.empty() &&
           std::all_of(name.begin(), name.end(), [](char c) { return c > ' ' && c < 0x7F; });
}

std::string address_text(int family, const uint8_t* raw)
{
    std::array<char, INET6_ADDRSTRLEN> text{};
    if (inet_ntop(family, raw, text.data(), text.size()) == nullptr) {
        return {};
    }
    return text.data();
}

/// Position of the NUL ending a SOCKS4 field starting at `from`, if present
/// within max_socks4_field bytes; `too_long` when it cannot be.
std::optional<size_t> find_nul(const Bytes& b, size_t from, bool& too_long)
{
    const size_t end = std::min(b.size(), from + max_socks4_field + 1);
    for (size_t i = from; i < end; ++i) {
        if (b[i] == 0) {
            return i;
        }
    }
    too_long = b.size() >= from + max_socks4_field + 1;
    return std::nullopt;
}

}  // namespace

Handshake::State Handshake::feed(ByteView data)
{
    if (m_state == State::request_ready) {
        m_leftover.insert(m_leftover.end(), data.begin(), data.end());
        return m_state;
    }
    if (m_state == State::failed) {
        return m_state;
    }
    // Never hold more than a legal handshake can need (before parsing, so a
    // hostile client cannot make us buffer a huge chunk).
    const size_t room = max_handshake_bytes - std::min(max_handshake_bytes, m_buffer.size());
    const size_t taken = std::min(room, data.size());
    m_buffer.insert(m_buffer.end(), data.begin(), data.begin() + static_cast<ptrdiff_t>(taken));
    parse();
    if (m_state == State::request_ready) {
        m_leftover.insert(m_leftover.end(), data.begin() + static_cast<ptrdiff_t>(taken),
                          data.end());
    } else if (m_state == State::need_more && m_buffer.size() >= max_handshake_bytes) {
        fail("handshake longer than " + std::to_string(max_handshake_bytes) + " bytes");
    }
    return m_state;
}

Bytes Handshake::take_output()
{
    Bytes out;
    out.swap(m_output);
    return out;
}

Bytes Handshake::take_leftover()
{
    Bytes out;
    out.swap(m_leftover);
    return out;
}

void Handshake::parse()
{
    if (m_buffer.empty()) {
        return;
    }
    Step step = Step::need_more;
    if (m_greeted) {
        step = parse_socks5_request();
    } else if (m_buffer[0] == socks5_version) {
        m_version = Version::socks5;
        step = parse_socks5_greeting();
        if (step == Step::ready) {
            step = parse_socks5_request();
        }
    } else if (m_buffer[0] == socks4_version) {
        m_version = Version::socks4;
        step = parse_socks4_request();
    } else {
        step =
            fail("not a SOCKS4 or SOCKS5 request (first byte " + std::to_string(m_buffer[0]) + ")");
    }
    if (step == Step::ready) {
        m_state = State::request_ready;
    }
}

Handshake::Step Handshake::fail(std::string why, Bytes refusal)
{
    m_state = State::failed;
    m_failure = std::move(why);
    m_output.insert(m_output.end(), refusal.begin(), refusal.end());
    m_buffer.clear();
    return Step::failed;
}

Handshake::Step Handshake::parse_socks5_greeting()
{
    // RFC 1928 §3: VER NMETHODS METHODS[NMETHODS].
    if (m_buffer.size() < 2) {
        return Step::need_more;
    }
    const size_t count = m_buffer[1];
    if (count == 0) {
        return fail("SOCKS5 greeting offers no methods", {socks5_version, method_none_acceptable});
    }
    if (m_buffer.size() < 2 + count) {
        return Step::need_more;
    }
    const auto methods = m_buffer.begin() + 2;
    const bool no_auth = std::find(methods, methods + static_cast<ptrdiff_t>(count),
                                   method_no_auth) != methods + static_cast<ptrdiff_t>(count);
    if (!no_auth) {
        // Only "no authentication" is offered: the SSH connection is the
        // authenticated part, the SOCKS entry is local.
        return fail("SOCKS5 client does not offer 'no authentication'",
                    {socks5_version, method_none_acceptable});
    }
    m_output.push_back(socks5_version);
    m_output.push_back(method_no_auth);
    m_buffer.erase(m_buffer.begin(), methods + static_cast<ptrdiff_t>(count));
    m_greeted = true;
    return Step::ready;
}

Handshake::Step Handshake::parse_socks5_request()
{
    // RFC 1928 §4: VER CMD RSV ATYP DST.ADDR DST.PORT.
    if (!m_buffer.empty() && m_buffer[0] != socks5_version) {
        return fail("bad SOCKS5 request version", socks5_reply(rep_general_failure));
    }
    if (m_buffer.size() < socks5_request_header) {
        return Step::need_more;
    }
    if (m_buffer[1] != command_connect) {
        return fail("SOCKS5 command " + std::to_string(m_buffer[1]) + " not supported",
                    socks5_reply(rep_command_not_supported));
    }
    const uint8_t atyp = m_buffer[3];
    size_t address_size = 0;
    size_t address_at = socks5_request_header;
    if (atyp == atyp_ipv4) {
        address_size = 4;
    } else if (atyp == atyp_ipv6) {
        address_size = 16;
    } else if (atyp == atyp_domain) {
        if (m_buffer.size() < socks5_request_header + 1) {
            return Step::need_more;
        }
        address_size = m_buffer[socks5_request_header];
        address_at += 1;
    } else {
        return fail("SOCKS5 address type " + std::to_string(atyp) + " not supported",
                    socks5_reply(rep_address_type_not_supported));
    }
    const size_t total = address_at + address_size + 2;
    if (m_buffer.size() < total) {
        return Step::need_more;
    }
    const uint8_t* raw = m_buffer.data() + address_at;
    if (atyp == atyp_domain) {
        m_host.assign(reinterpret_cast<const char*>(raw), address_size);
        if (!acceptable_host_name(m_host)) {
            m_host.clear();
            return fail("bad SOCKS5 host name", socks5_reply(rep_general_failure));
        }
    } else {
        m_host = address_text(atyp == atyp_ipv4 ? AF_INET : AF_INET6, raw);
    }
    m_port = get_u16(m_buffer, address_at + address_size);
    m_leftover.assign(m_buffer.begin() + static_cast<ptrdiff_t>(total), m_buffer.end());
    m_buffer.clear();
    return Step::ready;
}

Handshake::Step Handshake::parse_socks4_request()
{
    // SOCKS4: VN CD DSTPORT DSTIP USERID NUL; SOCKS4a: DSTIP 0.0.0.x (x
    // non-zero) and then HOSTNAME NUL.
    if (m_buffer.size() < socks4_header) {
        return Step::need_more;
    }
    if (m_buffer[1] != command_connect) {
        return fail("SOCKS4 command " + std::to_string(m_buffer[1]) + " not supported",
                    socks4_reply(socks4_rejected));
    }
    bool too_long = false;
    const std::optional<size_t> user_end = find_nul(m_buffer, socks4_header, too_long);
    if (!user_end) {
        return too_long ? fail("SOCKS4 user id too long", socks4_reply(socks4_rejected))
                        : Step::need_more;
    }
    const uint8_t* ip = m_buffer.data() + 4;
    const bool socks4a = ip[0] == 0 && ip[1] == 0 && ip[2] == 0 && ip[3] != 0;
    size_t end = *user_end + 1;
    if (socks4a) {
        const std::optional<size_t> host_end = find_nul(m_buffer, end, too_long);
        if (!host_end) {
            return too_long ? fail("SOCKS4a host name too long", socks4_reply(socks4_rejected))
                            : Step::need_more;
        }
        m_host.assign(reinterpret_cast<const char*>(m_buffer.data() + end), *host_end - end);
        if (!acceptable_host_name(m_host)) {
            m_host.clear();
            return fail("bad SOCKS4a host name", socks4_reply(socks4_rejected));
        }
        end = *host_end + 1;
    } else {
        m_host = address_text(AF_INET, ip);
    }
    m_port = get_u16(m_buffer, 2);
    m_leftover.assign(m_buffer.begin() + static_cast<ptrdiff_t>(end), m_buffer.end());
    m_buffer.clear();
    return Step::ready;
}

Bytes Handshake::reply_bytes(Reply reply) const
{
    if (m_version == Version::socks4) {
        return socks4_reply(reply == Reply::success ? socks4_granted : socks4_rejected);
    }
    switch (reply) {
        case Reply::success:
            return socks5_reply(rep_succeeded);
        case Reply::network_unreachable:
            return socks5_reply(rep_network_unreachable);
        case Reply::host_unreachable:
            return socks5_reply(rep_host_unreachable);
        case Reply::connection_refused:
            return socks5_reply(rep_connection_refused);
        case Reply::general_failure:
            break;
    }
    return socks5_reply(rep_general_failure);
}

}  // namespace burrow::client::socks
