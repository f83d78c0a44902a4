#include "protocol/transport/packet_encoder.h"

#include <algorithm>

namespace burrow::protocol::transport {

namespace {
/// Compact the output buffer once this much already-sent data sits in front.
constexpr size_t compact_threshold = 1024 * 1024;
}  // namespace

PacketEncoder::PacketEncoder() : m_key(crypto::make_null_sealing_key())
{
    m_out.reserve(64 * 1024);
}

void PacketEncoder::append_raw(ByteView bytes)
{
    m_out.insert(m_out.end(), bytes.begin(), bytes.end());
}

Bytes& PacketEncoder::begin()
{
    m_start = m_out.size();
    m_out.resize(m_start + 5);  // uint32 packet_length, byte padding_length
    return m_out;
}

void PacketEncoder::end(crypto::Rng& rng)
{
    if (m_compress) {
        // RFC 4253 §6.2: compression applies to the payload only.
        m_scratch.clear();
        m_compressor->compress(ByteView(m_out).subspan(m_start + 5), m_scratch);
        m_out.resize(m_start + 5);
        m_out.insert(m_out.end(), m_scratch.begin(), m_scratch.end());
    }
    const auto& t = m_key->traits();
    const size_t block = std::max<size_t>(8, t.block_size);
    const size_t payload = m_out.size() - m_start - 5;
    // RFC 4253 §6: padding makes the aligned region a multiple of the block
    // size, and is 4..255 bytes long.
    const size_t unpadded = (t.length_excluded_from_alignment ? 1 : 5) + payload;
    size_t padding = block - unpadded % block;
    if (padding < 4) {
        padding += block;
    }
    const size_t packet_length = 1 + payload + padding;
    uint8_t* p = m_out.data() + m_start;
    p[0] = static_cast<uint8_t>(packet_length >> 24);
    p[1] = static_cast<uint8_t>(packet_length >> 16);
    p[2] = static_cast<uint8_t>(packet_length >> 8);
    p[3] = static_cast<uint8_t>(packet_length);
    p[4] = static_cast<uint8_t>(padding);
    const size_t pad_at = m_out.size();
    m_out.resize(pad_at + padding + t.tag_size);
    rng.fill(MutableByteView(m_out.data() + pad_at, padding));
    MutableByteView packet(m_out.data() + m_start, 4 + packet_length);
    MutableByteView tag(m_out.data() + m_start + 4 + packet_length, t.tag_size);
    m_key->seal(m_seq, packet, tag);
    ++m_seq;  // RFC 4253 §6.4: wraps modulo 2^32
    m_bytes += packet.size();
}

void PacketEncoder::consume(size_t n)
{
    m_sent += std::min(n, m_out.size() - m_sent);
    if (m_sent == m_out.size()) {
        m_out.clear();  // keeps capacity: no allocation for the next packet
        m_sent = 0;
    } else if (m_sent >= compact_threshold) {
        m_out.erase(m_out.begin(), m_out.begin() + static_cast<std::ptrdiff_t>(m_sent));
        m_sent = 0;
    }
}

Bytes PacketEncoder::take()
{
    if (m_sent != 0) {
        m_out.erase(m_out.begin(), m_out.begin() + static_cast<std::ptrdiff_t>(m_sent));
        m_sent = 0;
    }
    Bytes out = std::move(m_out);
    m_out = std::move(m_spare);
    m_out.clear();
    m_spare = Bytes();
    return out;
}

void PacketEncoder::recycle(Bytes buffer)
{
    buffer.clear();
    if (buffer.capacity() > m_spare.capacity()) {
        m_spare = std::move(buffer);
    }
}

void PacketEncoder::set_key(std::unique_ptr<crypto::SealingKey> key)
{
    m_key = std::move(key);
    m_bytes = 0;
}

void PacketEncoder::set_compression(bool on)
{
    if (on && !m_compressor) {
        m_compressor = std::make_unique<Compressor>();
    }
    m_compress = on;
}

}  // namespace burrow::protocol::transport
