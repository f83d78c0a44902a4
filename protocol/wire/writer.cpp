#include "protocol/wire/writer.h"

namespace burrow::protocol::wire {

void Writer::put_u32(uint32_t v)
{
    const uint8_t b[4] = {static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
                          static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
    m_out.insert(m_out.end(), b, b + 4);
}

void Writer::put_u64(uint64_t v)
{
    put_u32(static_cast<uint32_t>(v >> 32));
    put_u32(static_cast<uint32_t>(v));
}

void Writer::put_string(ByteView s)
{
    put_u32(static_cast<uint32_t>(s.size()));
    put_bytes(s);
}

void Writer::put_mpint_unsigned(ByteView magnitude)
{
    // RFC 4251 §5: minimal two's complement; strip leading zeros, and prefix
    // a zero byte when the top bit would otherwise read as negative.
    size_t i = 0;
    while (i < magnitude.size() && magnitude[i] == 0) {
        ++i;
    }
    const ByteView m = magnitude.subspan(i);
    const bool pad = !m.empty() && (m[0] & 0x80) != 0;
    put_u32(static_cast<uint32_t>(m.size() + (pad ? 1 : 0)));
    if (pad) {
        put_u8(0);
    }
    put_bytes(m);
}

void Writer::put_name_list(const std::vector<std::string>& names)
{
    std::string joined;
    for (const auto& n : names) {
        if (!joined.empty()) {
            joined += ',';
        }
        joined += n;
    }
    put_string(joined);
}

}  // namespace burrow::protocol::wire
