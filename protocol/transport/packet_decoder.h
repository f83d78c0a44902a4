// Inbound half of the binary packet protocol (RFC 4253 §6). Owns the input
// buffer; packets are authenticated and decrypted in place and handed out as
// views, so steady-state decoding neither allocates nor copies.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "crypto/bytes.h"
#include "crypto/packet_cipher.h"
#include "protocol/transport/compression.h"

namespace burrow::protocol::transport {

class PacketDecoder {
public:
    PacketDecoder();

    /// Append received bytes.
    void append(ByteView data);
    /// Next complete packet's payload, or nullopt if more bytes are needed.
    /// The view is valid until the next append() or compact().
    /// Throws ProtocolError on a bad length, padding or MAC.
    std::optional<ByteView> next_payload();
    /// Drop consumed bytes (call when no payload view is in use).
    void compact();
    /// Bytes received but not yet consumed.
    size_t buffered() const { return m_buf.size() - m_pos; }

    /// Switch to new keys (after NEWKEYS was received).
    void set_key(std::unique_ptr<crypto::OpeningKey> key);
    /// Packet bytes opened since the last set_key() (rekey by volume).
    uint64_t bytes_since_key() const { return m_bytes; }
    /// Turn zlib decompression of payloads on or off (stream persists).
    void set_compression(bool on);
    /// Strict kex (OpenSSH PROTOCOL §1.10): sequence number restarts at NEWKEYS.
    void reset_sequence() { m_seq = 0; }
    uint32_t sequence() const { return m_seq; }
    /// Packets received since the last reset (wrap detection for strict kex).
    uint64_t packets_since_reset() const { return m_count; }

private:
    uint32_t check_length(uint32_t len) const;

    std::unique_ptr<crypto::OpeningKey> m_key;
    Bytes m_buf;
    size_t m_pos = 0;
    uint32_t m_seq = 0;
    uint64_t m_count = 0;
    std::optional<uint32_t> m_len;  ///< packet_length once the header is read
    uint64_t m_bytes = 0;
    std::unique_ptr<Decompressor> m_decompressor;
    bool m_decompress = false;
    Bytes m_plain;  ///< decompressed payload (reused)
};

}  // namespace burrow::protocol::transport
