// Outbound half of the binary packet protocol (RFC 4253 §6). Messages are
// composed directly in the output buffer, then padded and sealed in place,
// so steady-state encoding neither allocates nor copies the payload twice.
#pragma once

#include <cstdint>
#include <memory>

#include "crypto/bytes.h"
#include "crypto/packet_cipher.h"
#include "crypto/rng.h"

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
    void reset_sequence() { m_seq = 0; }
    uint32_t sequence() const { return m_seq; }

private:
    std::unique_ptr<crypto::SealingKey> m_key;
    Bytes m_out;
    Bytes m_spare;
    size_t m_sent = 0;
    size_t m_start = 0;  ///< offset of the packet being built
    uint32_t m_seq = 0;
};

}  // namespace burrow::protocol::transport
