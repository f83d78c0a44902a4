// Global requests (RFC 4254 §4) in both directions. Replies must go out in
// the order the requests came in, while the owner may answer some of them
// later (binding a port takes a moment): each request that wants a reply
// takes a slot, and slots are sent from the front as soon as they are
// answered. Our own requests' replies are matched to them in order.
#pragma once

#include <deque>
#include <optional>
#include <string_view>

#include "crypto/bytes.h"
#include "protocol/events.h"
#include "protocol/transport/outbox.h"

namespace burrow::protocol::channels {

class GlobalRequests {
public:
    GlobalRequests(EventHandler& events, transport::Outbox& outbox)
        : m_events(events), m_outbox(outbox)
    {
    }

    /// SSH_MSG_GLOBAL_REQUEST from the peer.
    void on_request(ByteView payload);
    /// SSH_MSG_REQUEST_SUCCESS / FAILURE from the peer.
    void on_reply(uint8_t type, ByteView payload);
    /// The owner's answer to the oldest request it took.
    void reply(bool success, std::optional<uint32_t> bound_port);
    /// Send our own request.
    void send(std::string_view name, bool want_reply, ByteView body);

private:
    struct Slot {
        bool answered = false;
        bool success = false;
        std::optional<uint32_t> bound_port;
    };
    void flush();

    EventHandler& m_events;
    transport::Outbox& m_outbox;
    std::deque<Slot> m_slots;       ///< peer's requests awaiting our reply, in order
    size_t m_replies_expected = 0;  ///< our requests awaiting the peer's reply
};

}  // namespace burrow::protocol::channels
