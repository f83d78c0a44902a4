// Outbound half of the binary packet protocol (RFC 4253 §6). Messages are
// composed directly in the output buffer, then padded and sealed in place,
// so steady-state encoding neither allocates nor copies the payload twice.
#pragma once

#include <cstdint>
#include <memory>

#include "crypto/bytes.h"
#include "crypto/packet_cipher.h"
#include "crypto/rng.h"
#include "protocol/transport/compression.h"

namespace burrow::protocol::transport {

class PacketEncoder {
public:
    PacketEncoder();

    /// Raw bytes before the packet protocol starts (the version line).
    void append_raw(ByteView bytes);
    /// Start a packet: returns the buffer to append the payload to.
    Bytes& begin();
    /// Pad, seal and finish the packet started by begin().
    void end(crypto::Rng& rng);

    ByteView pending() const { return ByteView(m_out).subspan(m_sent); }
    void consume(size_t n);
    /// Hand the whole pending output to an asynchronous writer, which keeps
    /// it stable while later packets go into a second buffer. Swaps vectors:
    /// no copy, and no allocation once both buffers have grown.
    Bytes take();
    /// Give a written buffer back for reuse.
    void recycle(Bytes buffer);

    void set_key(std::unique_ptr<crypto::SealingKey> key);
    const crypto::CipherTraits& traits() const { return m_key->traits(); }
    /// Packet bytes sealed since the last set_key() (rekey by volume, RFC 4344 §3).
    uint64_t bytes_since_key() const { return m_bytes; }
    /// Turn zlib compression of payloads on or off; the stream persists
    /// across re-keying once started.
    void set_compression(bool on);
    void reset_sequence() { m_seq = 0; }
    uint32_t sequence() const { return m_seq; }

private:
    std::unique_ptr<crypto::SealingKey> m_key;
    Bytes m_out;
    Bytes m_spare;
    size_t m_sent = 0;
    size_t m_start = 0;  ///< offset of the packet being built
    uint32_t m_seq = 0;
    uint64_t m_bytes = 0;
    std::unique_ptr<Compressor> m_compressor;
    bool m_compress = false;
    Bytes m_scratch;  ///< compressed payload (reused)
};

}  // namespace burrow::protocol::transport
