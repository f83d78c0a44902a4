// Private to crypto/: the few SSH wire encodings (RFC 4251 §5) that key blobs,
// signatures and key files need. protocol/wire has the full reader/writer;
// crypto/ must not depend on protocol/, hence this small copy of the rules.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "crypto/bytes.h"

namespace burrow::crypto {

/// Append a big-endian uint32 to any byte container.
template <typename Container>
void put_u32(Container& out, uint32_t v)
{
    out.push_back(static_cast<uint8_t>(v >> 24));
    out.push_back(static_cast<uint8_t>(v >> 16));
    out.push_back(static_cast<uint8_t>(v >> 8));
    out.push_back(static_cast<uint8_t>(v));
}

/// Append an SSH string (uint32 length, then the bytes).
template <typename Container>
void put_string(Container& out, ByteView data)
{
    put_u32(out, static_cast<uint32_t>(data.size()));
    out.insert(out.end(), data.begin(), data.end());
}

template <typename Container>
void put_string(Container& out, std::string_view s)
{
    put_string(out, as_bytes(s));
}

/// Read a big-endian uint32 from 4 bytes.
inline uint32_t load_u32(const uint8_t* p)
{
    return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

/// Write a big-endian uint32 into 4 bytes.
inline void store_u32(uint8_t* p, uint32_t v)
{
    p[0] = static_cast<uint8_t>(v >> 24);
    p[1] = static_cast<uint8_t>(v >> 16);
    p[2] = static_cast<uint8_t>(v >> 8);
    p[3] = static_cast<uint8_t>(v);
}

/// Bounds-checked reader: every getter returns nullopt on short input and
/// consumes nothing in that case.
class WireReader {
public:
    explicit WireReader(ByteView data) : m_data(data) {}

    std::optional<uint32_t> u32()
    {
        if (m_data.size() < 4) {
            return std::nullopt;
        }
        const uint32_t v = load_u32(m_data.data());
        m_data = m_data.subspan(4);
        return v;
    }

    /// An SSH string's contents (a view into the input).
    std::optional<ByteView> string()
    {
        if (m_data.size() < 4) {
            return std::nullopt;
        }
        const uint32_t len = load_u32(m_data.data());
        if (m_data.size() - 4 < len) {
            return std::nullopt;
        }
        const ByteView out = m_data.subspan(4, len);
        m_data = m_data.subspan(4 + size_t{len});
        return out;
    }

    /// Exactly `n` raw bytes.
    std::optional<ByteView> raw(size_t n)
    {
        if (m_data.size() < n) {
            return std::nullopt;
        }
        const ByteView out = m_data.first(n);
        m_data = m_data.subspan(n);
        return out;
    }

    ByteView rest() const { return m_data; }
    bool empty() const { return m_data.empty(); }

private:
    ByteView m_data;
};

}  // namespace burrow::crypto
