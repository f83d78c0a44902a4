// Channel ids and their records, bounded by limits::max_channels.
#pragma once

#include <optional>
#include <vector>

#include "protocol/channels/channel.h"

namespace burrow::protocol::channels {

class ChannelTable {
public:
    /// A free slot's channel, or nullptr when limits::max_channels are in use.
    Channel* allocate();
    Channel* find(ChannelId id);
    const Channel* find(ChannelId id) const;
    void release(ChannelId id);
    /// Call `f(Channel&)` for each live channel.
    template <typename F>
    void for_each(F&& f)
    {
        for (auto& slot : m_slots) {
            if (slot) {
                f(*slot);
            }
        }
    }

private:
    std::vector<std::optional<Channel>> m_slots;
};

}  // namespace burrow::protocol::channels
