#include "protocol/transport/outbox.h"

namespace burrow::protocol::transport {

Bytes& Outbox::begin(bool exempt)
{
    m_current_held = m_holding && !exempt;
    if (m_current_held) {
        m_held.emplace_back();
        return m_held.back();
    }
    return m_encoder.begin();
}

void Outbox::end()
{
    const bool sealed = !m_current_held;
    if (sealed) {
        m_encoder.end(m_rng);
    }
    m_current_held = false;
    if (sealed && m_after_packet) {
        m_after_packet();
    }
}

void Outbox::release()
{
    m_holding = false;
    while (!m_held.empty()) {
        Bytes& out = m_encoder.begin();
        out.insert(out.end(), m_held.front().begin(), m_held.front().end());
        m_encoder.end(m_rng);
        m_held.pop_front();
    }
}

}  // namespace burrow::protocol::transport
