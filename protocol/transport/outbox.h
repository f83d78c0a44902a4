// Where every outgoing message goes. While a key exchange is running on our
// side (our KEXINIT sent, our NEWKEYS not yet), RFC 4253 §7.1 allows only
// transport and kex messages; everything else is held here and sent, in
// order, right after our NEWKEYS.
#pragma once

#include <deque>
#include <functional>

#include "crypto/bytes.h"
#include "crypto/rng.h"
#include "protocol/transport/packet_encoder.h"

namespace burrow::protocol::transport {

class Outbox {
public:
    Outbox(PacketEncoder& encoder, crypto::Rng& rng) : m_encoder(encoder), m_rng(rng) {}

    /// Start a message. `exempt` messages (transport generic and kex) are
    /// never held back. Append the payload to the returned buffer, then end().
    Bytes& begin(bool exempt = false);
    void end();

    /// Our KEXINIT went out: hold non-exempt messages.
    void hold() { m_holding = true; }
    /// Our NEWKEYS went out: send what was held.
    void release();
    bool holding() const { return m_holding; }
    /// Called after every packet sealed (e.g. to start a re-key the moment
    /// a data limit is crossed, RFC 4344 §3.1).
    void set_after_packet(std::function<void()> hook) { m_after_packet = std::move(hook); }

private:
    PacketEncoder& m_encoder;
    crypto::Rng& m_rng;
    std::deque<Bytes> m_held;
    bool m_holding = false;
    bool m_current_held = false;
    std::function<void()> m_after_packet;
};

}  // namespace burrow::protocol::transport
