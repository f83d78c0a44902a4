// One channel's flow-control and close state (RFC 4254 §5), the same for
// both roles. Close is two half-states per direction, changed only here.
#pragma once

#include <cstdint>
#include <string>

#include "protocol/events.h"

namespace burrow::protocol::channels {

enum class ChannelState {
    opening_local,   ///< we sent CHANNEL_OPEN, awaiting confirmation
    opening_remote,  ///< peer sent CHANNEL_OPEN, awaiting the owner's answer
    open,
};

struct Channel {
    ChannelId local_id = 0;
    uint32_t remote_id = 0;
    ChannelState state = ChannelState::opening_local;
    /// Bytes the peer may still send us, and what we have consumed but not
    /// yet re-advertised with WINDOW_ADJUST.
    uint32_t local_window = 0;
    uint32_t unadvertised = 0;
    /// Bytes we may still send, and the peer's largest data packet.
    uint32_t remote_window = 0;
    uint32_t remote_max_packet = 0;
    bool eof_sent = false;
    bool eof_received = false;
    bool close_sent = false;
    bool close_received = false;
    /// Replies we still expect for our want_reply requests (RFC 4254 §5.4: in order).
    uint32_t replies_pending = 0;
    /// Requests from the peer with want_reply, not yet answered.
    uint32_t replies_owed = 0;
};

}  // namespace burrow::protocol::channels
