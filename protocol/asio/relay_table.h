// The relays of one connection, by channel id: routes the channel events to
// the right ChannelRelay, keeps relays that still drain to their socket after
// the channel closed (the id may be reused at once), and stops them all when
// the connection ends. Agent forwarding and port forwarding, on both ends,
// each keep one.
#pragma once

#include <map>
#include <memory>
#include <vector>

#include "protocol/asio/channel_relay.h"

namespace burrow::protocol::asio {

class RelayTable {
public:
    /// Route `relay`'s channel to it from now on.
    void add(std::shared_ptr<ChannelRelay> relay);

    // The channel's events; each returns false if `id` is not a relay's.
    bool on_data(ChannelId id, ByteView data);
    bool on_eof(ChannelId id);
    bool on_window_available(ChannelId id);
    /// Both CLOSEs were exchanged: the relay leaves the table (the id is free
    /// again) and writes what it still holds to its socket.
    bool on_closed(ChannelId id);

    /// The connection is ending: stop every relay, draining ones included.
    void shutdown_all();

    size_t size() const { return m_relays.size(); }
    /// Channel ids of the relays, in order (for listings such as ~#).
    std::vector<ChannelId> ids() const;

private:
    ChannelRelay* find(ChannelId id) const;

    std::map<ChannelId, std::shared_ptr<ChannelRelay>> m_relays;
    /// Relays whose channel closed but that still write buffered data.
    std::vector<std::weak_ptr<ChannelRelay>> m_draining;
};

}  // namespace burrow::protocol::asio
