#include "protocol/transport/packet_decoder.h"

#include <string>

#include "protocol/connection.h"
#include "protocol/error.h"

namespace burrow::protocol::transport {

PacketDecoder::PacketDecoder() : m_key(crypto::make_null_opening_key())
{
    m_buf.reserve(limits::max_packet_size + 256);
}

void PacketDecoder::append(ByteView data)
{
    m_buf.insert(m_buf.end(), data.begin(), data.end());
}

void PacketDecoder::compact()
{
    if (m_pos == 0) {
        return;
    }
    m_buf.erase(m_buf.begin(), m_buf.begin() + static_cast<std::ptrdiff_t>(m_pos));
    m_pos = 0;
}

void PacketDecoder::set_key(std::unique_ptr<crypto::OpeningKey> key)
{
    m_key = std::move(key);
    m_bytes = 0;
}

void PacketDecoder::set_compression(bool on)
{
    if (on && !m_decompressor) {
        m_decompressor = std::make_unique<Decompressor>();
    }
    m_decompress = on;
}

uint32_t PacketDecoder::check_length(uint32_t len) const
{
    const auto& t = m_key->traits();
    // RFC 4253 §6.1: bound the packet; §6: padding_length, at least 4 bytes of
    // padding and one message byte must fit, and the (aligned part of the)
    // packet is a multiple of the block size.
    const bool too_small = len < 1 + 1 + 4;
    const bool too_big = len > limits::max_packet_size;
    const size_t aligned = t.length_excluded_from_alignment ? len : size_t{len} + 4;
    if (too_small || too_big || aligned % t.block_size != 0) {
        throw ProtocolError(DisconnectReason::protocol_error,
                            "bad packet length " + std::to_string(len));
    }
    return len;
}

std::optional<ByteView> PacketDecoder::next_payload()
{
    const size_t header = m_key->length_header_size();
    if (!m_len) {
        if (buffered() < header) {
            return std::nullopt;
        }
        MutableByteView head(m_buf.data() + m_pos, header);
        m_len = check_length(m_key->decrypt_length(m_seq, head));
    }
    const size_t tag = m_key->traits().tag_size;
    const size_t total = 4 + size_t{*m_len} + tag;
    if (buffered() < total) {
        return std::nullopt;
    }
    MutableByteView packet(m_buf.data() + m_pos, 4 + size_t{*m_len});
    const ByteView mac(m_buf.data() + m_pos + 4 + *m_len, tag);
    if (!m_key->open(m_seq, packet, mac)) {
        throw ProtocolError(
            DisconnectReason::mac_error,
            "message authentication code incorrect (packet " + std::to_string(m_seq) + ")");
    }
    const uint32_t len = *m_len;
    const uint8_t padding = packet[4];
    // RFC 4253 §6: at least four bytes of padding, and a non-empty payload.
    if (padding < 4 || size_t{padding} + 1 >= len) {
        throw ProtocolError(DisconnectReason::protocol_error,
                            "bad padding length " + std::to_string(padding));
    }
    const ByteView payload(packet.data() + 5, len - padding - 1);
    m_pos += total;
    m_len.reset();
    ++m_seq;  // RFC 4253 §6.4: wraps modulo 2^32
    ++m_count;
    m_bytes += total;
    if (m_decompress) {
        // Bounded: a payload may not inflate beyond the packet size limit.
        m_decompressor->decompress(payload, m_plain, limits::max_packet_size);
        if (m_plain.empty()) {
            throw ProtocolError(DisconnectReason::protocol_error,
                                "empty packet after decompression");
        }
        return ByteView(m_plain);
    }
    return payload;
}

}  // namespace burrow::protocol::transport
