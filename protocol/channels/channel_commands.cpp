// ConnectionService: the owner's commands (the outbound half of RFC 4254).
#include <algorithm>
#include <string>

#include "protocol/channels/connection_service.h"
#include "protocol/messages/numbers.h"
#include "protocol/wire/writer.h"

namespace burrow::protocol::channels {

Channel* ConnectionService::usable(ChannelId id)
{
    Channel* ch = m_table.find(id);
    if (ch == nullptr || ch->close_sent) {
        return nullptr;
    }
    return ch;
}

std::optional<ChannelId> ConnectionService::open_session()
{
    return open_channel("session", {});
}

std::optional<ChannelId> ConnectionService::open_channel(std::string_view type,
                                                         ByteView type_specific)
{
    Channel* ch = m_table.allocate();
    if (ch == nullptr) {
        return std::nullopt;
    }
    ch->state = ChannelState::opening_local;
    ch->local_window = limits::channel_window;
    Bytes& out = m_outbox.begin();
    wire::Writer w(out);
    w.put_u8(msg::channel_open);  // RFC 4254 §5.1
    w.put_string(type);
    w.put_u32(ch->local_id);
    w.put_u32(limits::channel_window);
    w.put_u32(limits::channel_max_packet);
    w.put_bytes(type_specific);
    m_outbox.end();
    return ch->local_id;
}

void ConnectionService::accept(ChannelId id)
{
    Channel* ch = m_table.find(id);
    if (ch == nullptr || ch->state != ChannelState::opening_remote) {
        return;
    }
    ch->state = ChannelState::open;
    ch->local_window = limits::channel_window;
    Bytes& out = m_outbox.begin();
    wire::Writer w(out);
    w.put_u8(msg::channel_open_confirmation);
    w.put_u32(ch->remote_id);
    w.put_u32(ch->local_id);
    w.put_u32(limits::channel_window);
    w.put_u32(limits::channel_max_packet);
    m_outbox.end();
}

void ConnectionService::reject(ChannelId id, uint32_t reason, std::string_view message)
{
    Channel* ch = m_table.find(id);
    if (ch == nullptr || ch->state != ChannelState::opening_remote) {
        return;
    }
    Bytes& out = m_outbox.begin();
    wire::Writer w(out);
    w.put_u8(msg::channel_open_failure);
    w.put_u32(ch->remote_id);
    w.put_u32(reason);
    w.put_string(message);
    w.put_string("");
    m_outbox.end();
    m_table.release(id);
}

void ConnectionService::send_request(ChannelId id, std::string_view type, bool want_reply,
                                     ByteView body)
{
    Channel* ch = usable(id);
    if (ch == nullptr || ch->state != ChannelState::open) {
        return;
    }
    if (want_reply) {
        ++ch->replies_pending;
    }
    Bytes& out = m_outbox.begin();
    wire::Writer w(out);
    w.put_u8(msg::channel_request);
    w.put_u32(ch->remote_id);
    w.put_string(type);
    w.put_bool(want_reply);
    w.put_bytes(body);
    m_outbox.end();
}

void ConnectionService::reply(ChannelId id, bool success)
{
    Channel* ch = usable(id);
    if (ch == nullptr || ch->replies_owed == 0) {
        return;
    }
    --ch->replies_owed;
    Bytes& out = m_outbox.begin();
    wire::Writer w(out);
    w.put_u8(success ? msg::channel_success : msg::channel_failure);
    w.put_u32(ch->remote_id);
    m_outbox.end();
}

size_t ConnectionService::send_window(ChannelId id) const
{
    const Channel* ch = m_table.find(id);
    if (ch == nullptr || ch->state != ChannelState::open || ch->close_sent || ch->eof_sent ||
        m_outbox.holding()) {
        return 0;
    }
    return ch->remote_window;
}

size_t ConnectionService::send_data(ChannelId id, uint32_t ext_type, ByteView data)
{
    Channel* ch = m_table.find(id);
    size_t sent = 0;
    while (sent < data.size()) {
        // Re-checked per packet: a re-key may start after any of them, and
        // then the window reads as closed until it is done.
        const size_t window = send_window(id);
        if (window == 0) {
            break;
        }
        // RFC 4254 §5.2: no data packet larger than the peer's maximum.
        const size_t chunk = std::min<size_t>(
            {data.size() - sent, window, ch->remote_max_packet, limits::channel_max_packet});
        Bytes& out = m_outbox.begin();
        wire::Writer w(out);
        w.put_u8(ext_type == 0 ? msg::channel_data : msg::channel_extended_data);
        w.put_u32(ch->remote_id);
        if (ext_type != 0) {
            w.put_u32(ext_type);
        }
        w.put_string(data.subspan(sent, chunk));
        ch->remote_window -= static_cast<uint32_t>(chunk);
        sent += chunk;
        m_outbox.end();
    }
    return sent;
}

void ConnectionService::consumed(ChannelId id, size_t n)
{
    Channel* ch = m_table.find(id);
    if (ch == nullptr) {
        return;
    }
    ch->unadvertised += static_cast<uint32_t>(std::min<size_t>(n, limits::channel_window));
    // Re-advertise in large steps (half the window) to keep WINDOW_ADJUST rare.
    if (ch->close_sent || ch->close_received || ch->unadvertised < limits::channel_window / 2) {
        return;
    }
    Bytes& out = m_outbox.begin();
    wire::Writer w(out);
    w.put_u8(msg::channel_window_adjust);
    w.put_u32(ch->remote_id);
    w.put_u32(ch->unadvertised);
    m_outbox.end();
    ch->local_window += ch->unadvertised;
    ch->unadvertised = 0;
}

void ConnectionService::send_eof(ChannelId id)
{
    Channel* ch = usable(id);
    if (ch == nullptr || ch->eof_sent || ch->state != ChannelState::open) {
        return;
    }
    ch->eof_sent = true;
    Bytes& out = m_outbox.begin();
    wire::Writer w(out);
    w.put_u8(msg::channel_eof);
    w.put_u32(ch->remote_id);
    m_outbox.end();
}

void ConnectionService::close(ChannelId id)
{
    Channel* ch = m_table.find(id);
    if (ch == nullptr || ch->state != ChannelState::open) {
        return;
    }
    send_close(*ch);
    finish_if_closed(*ch);
}

void ConnectionService::send_close(Channel& ch)
{
    if (ch.close_sent) {
        return;
    }
    ch.close_sent = true;
    Bytes& out = m_outbox.begin();
    wire::Writer w(out);
    w.put_u8(msg::channel_close);
    w.put_u32(ch.remote_id);
    m_outbox.end();
}

void ConnectionService::finish_if_closed(Channel& ch)
{
    if (!ch.close_sent || !ch.close_received) {
        return;
    }
    const ChannelId id = ch.local_id;
    m_table.release(id);
    m_events.on_channel_closed(id);
}

}  // namespace burrow::protocol::channels
