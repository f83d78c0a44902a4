#include "protocol/channels/channel_table.h"

#include "protocol/connection.h"

namespace burrow::protocol::channels {

Channel* ChannelTable::allocate()
{
    for (size_t i = 0; i < m_slots.size(); ++i) {
        if (!m_slots[i]) {
            m_slots[i].emplace();
            m_slots[i]->local_id = static_cast<ChannelId>(i);
            return &*m_slots[i];
        }
    }
    if (m_slots.size() >= limits::max_channels) {
        return nullptr;
    }
    m_slots.emplace_back(Channel{});
    m_slots.back()->local_id = static_cast<ChannelId>(m_slots.size() - 1);
    return &*m_slots.back();
}

Channel* ChannelTable::find(ChannelId id)
{
    if (id >= m_slots.size() || !m_slots[id]) {
        return nullptr;
    }
    return &*m_slots[id];
}

const Channel* ChannelTable::find(ChannelId id) const
{
    if (id >= m_slots.size() || !m_slots[id]) {
        return nullptr;
    }
    return &*m_slots[id];
}

void ChannelTable::release(ChannelId id)
{
    if (id < m_slots.size()) {
        m_slots[id].reset();
    }
}

}  // namespace burrow::protocol::channels
