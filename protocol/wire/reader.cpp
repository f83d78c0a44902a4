#include "protocol/wire/reader.h"

#include "protocol/connection.h"
#include "protocol/error.h"

namespace burrow::protocol::wire {

void Reader::fail(const char* field) const
{
    throw ProtocolError(DisconnectReason::protocol_error,
                        std::string("malformed ") + m_what + ": bad or truncated " + field);
}

void Reader::need(size_t n, const char* field) const
{
    if (remaining() < n) {
        fail(field);
    }
}

uint8_t Reader::get_u8()
{
    need(1, "byte");
    return m_data[m_pos++];
}

bool Reader::get_bool()
{
    // RFC 4251 §5: any non-zero value is TRUE.
    return get_u8() != 0;
}

uint32_t Reader::get_u32()
{
    need(4, "uint32");
    const uint8_t* p = m_data.data() + m_pos;
    m_pos += 4;
    return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

uint64_t Reader::get_u64()
{
    const uint64_t hi = get_u32();
    return (hi << 32) | get_u32();
}

ByteView Reader::get_string()
{
    need(4, "string length");
    const size_t start = m_pos;
    const uint32_t len = get_u32();
    if (remaining() < len) {
        m_pos = start;
        fail("string");
    }
    ByteView out = m_data.subspan(m_pos, len);
    m_pos += len;
    return out;
}

std::string Reader::get_text(size_t max_len)
{
    const ByteView s = get_string();
    if (s.size() > max_len) {
        fail("text field (too long)");
    }
    return to_string(s);
}

std::vector<std::string> Reader::get_name_list()
{
    const ByteView s = get_string();
    if (s.size() > limits::max_name_list) {
        fail("name-list (too long)");
    }
    std::vector<std::string> names;
    if (s.empty()) {
        return names;
    }
    std::string cur;
    for (const uint8_t c : s) {
        // RFC 4251 §5: names are non-empty, US-ASCII, no commas inside.
        if (c == ',') {
            if (cur.empty()) {
                fail("name-list (empty name)");
            }
            names.push_back(std::move(cur));
            cur.clear();
        } else if (c <= 0x20 || c >= 0x7f) {
            fail("name-list (non-printable character)");
        } else {
            cur.push_back(static_cast<char>(c));
        }
    }
    if (cur.empty()) {
        fail("name-list (empty name)");
    }
    names.push_back(std::move(cur));
    return names;
}

ByteView Reader::get_mpint()
{
    const ByteView v = get_string();
    // RFC 4251 §5: no unnecessary leading 0x00 / 0xff bytes. We only use
    // non-negative values, so a set top bit (negative) is rejected too.
    if (!v.empty()) {
        if ((v[0] & 0x80) != 0) {
            fail("mpint (negative)");
        }
        if (v[0] == 0 && (v.size() == 1 || (v[1] & 0x80) == 0)) {
            fail("mpint (not minimal)");
        }
    }
    return v;
}

ByteView Reader::get_bytes(size_t n)
{
    need(n, "bytes");
    ByteView out = m_data.subspan(m_pos, n);
    m_pos += n;
    return out;
}

ByteView Reader::get_rest()
{
    ByteView out = m_data.subspan(m_pos);
    m_pos = m_data.size();
    return out;
}

void Reader::expect_end() const
{
    if (remaining() != 0) {
        throw ProtocolError(DisconnectReason::protocol_error,
                            std::string("malformed ") + m_what + ": " +
                                std::to_string(remaining()) + " trailing bytes");
    }
}

}  // namespace burrow::protocol::wire
