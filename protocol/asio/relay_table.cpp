#include "protocol/asio/relay_table.h"

#include <utility>

namespace burrow::protocol::asio {

void RelayTable::add(std::shared_ptr<ChannelRelay> relay)
{
    const ChannelId id = relay->id();
    m_relays[id] = std::move(relay);
}

ChannelRelay* RelayTable::find(ChannelId id) const
{
    const auto found = m_relays.find(id);
    return found == m_relays.end() ? nullptr : found->second.get();
}

bool RelayTable::on_data(ChannelId id, ByteView data)
{
    ChannelRelay* relay = find(id);
    if (relay != nullptr) {
        relay->on_data(data);
    }
    return relay != nullptr;
}

bool RelayTable::on_eof(ChannelId id)
{
    ChannelRelay* relay = find(id);
    if (relay != nullptr) {
        relay->on_eof();
    }
    return relay != nullptr;
}

bool RelayTable::on_window_available(ChannelId id)
{
    ChannelRelay* relay = find(id);
    if (relay != nullptr) {
        relay->on_window_available();
    }
    return relay != nullptr;
}

bool RelayTable::on_closed(ChannelId id)
{
    const auto found = m_relays.find(id);
    if (found == m_relays.end()) {
        return false;
    }
    const std::shared_ptr<ChannelRelay> relay = found->second;
    m_relays.erase(found);
    std::erase_if(m_draining, [](const auto& weak) { return weak.expired(); });
    m_draining.push_back(relay);
    relay->on_closed();
    return true;
}

void RelayTable::shutdown_all()
{
    for (auto& [id, relay] : m_relays) {
        relay->shutdown();
    }
    m_relays.clear();
    for (const auto& weak : m_draining) {
        if (const auto relay = weak.lock()) {
            relay->shutdown();
        }
    }
    m_draining.clear();
}

std::vector<ChannelId> RelayTable::ids() const
{
    std::vector<ChannelId> out;
    for (const auto& [id, relay] : m_relays) {
        out.push_back(id);
    }
    return out;
}

}  // namespace burrow::protocol::asio
