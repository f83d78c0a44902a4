// The connection protocol (RFC 4254): global requests, channel open,
// data with windows, requests, EOF and close. Symmetric: both roles use it.
#pragma once

#include <optional>
#include <string_view>

#include "protocol/channels/channel_table.h"
#include "protocol/channels/global_requests.h"
#include "protocol/connection.h"
#include "protocol/transport/outbox.h"
#include "protocol/wire/reader.h"

namespace burrow::protocol::channels {

class ConnectionService {
public:
    ConnectionService(EventHandler& events, transport::Outbox& outbox)
        : m_events(events), m_outbox(outbox), m_global(events, outbox)
    {
    }

    /// Handle an inbound message numbered 80..127.
    void on_message(uint8_t type, ByteView payload);
    /// Sending resumed after a key exchange: tell owners with window space.
    void announce_windows();

    std::optional<ChannelId> open_session();
    std::optional<ChannelId> open_channel(std::string_view type, ByteView type_specific);
    void accept(ChannelId id);
    void reject(ChannelId id, uint32_t reason, std::string_view message);
    void send_request(ChannelId id, std::string_view type, bool want_reply, ByteView body);
    void reply(ChannelId id, bool success);
    size_t send_data(ChannelId id, uint32_t ext_type, ByteView data);
    size_t send_window(ChannelId id) const;
    void consumed(ChannelId id, size_t n);
    void send_eof(ChannelId id);
    void close(ChannelId id);
    GlobalRequests& global() { return m_global; }

private:
    Channel& lookup(wire::Reader& r, const char* what);
    Channel* usable(ChannelId id);
    void on_open(ByteView payload);
    void on_open_confirmation(ByteView payload);
    void on_open_failure(ByteView payload);
    void on_window_adjust(ByteView payload);
    void on_data(uint8_t type, ByteView payload);
    void on_eof(ByteView payload);
    void on_close(ByteView payload);
    void on_request(ByteView payload);
    void on_reply(uint8_t type, ByteView payload);
    void send_close(Channel& ch);
    void finish_if_closed(Channel& ch);

    EventHandler& m_events;
    transport::Outbox& m_outbox;
    ChannelTable m_table;
    GlobalRequests m_global;
};

}  // namespace burrow::protocol::channels
