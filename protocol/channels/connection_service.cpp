#include "protocol/channels/connection_service.h"

#include <algorithm>
#include <string>

#include "protocol/channels/forward_messages.h"
#include "protocol/channels/session_requests.h"
#include "protocol/error.h"
#include "protocol/messages/numbers.h"
#include "protocol/wire/writer.h"

namespace burrow::protocol::channels {

namespace {

/// RFC 4254 §5.1 reason codes used here.
constexpr uint32_t open_resource_shortage = 4;
constexpr size_t max_request_type = 64;

/// RFC 4254 §5.1 reason code names.
std::string open_failure_name(uint32_t code)
{
    switch (code) {
        case 1:
            return "administratively prohibited";
        case 2:
            return "connect failed";
        case 3:
            return "unknown channel type";
        case 4:
            return "resource shortage";
        default:
            return "reason " + std::to_string(code);
    }
}

[[noreturn]] void channel_error(const std::string& what)
{
    throw ProtocolError(DisconnectReason::protocol_error, what);
}

}  // namespace

void ConnectionService::on_message(uint8_t type, ByteView payload)
{
    switch (type) {
        case msg::global_request:
            m_global.on_request(payload);
            break;
        case msg::request_success:
        case msg::request_failure:
            m_global.on_reply(type, payload);
            break;
        case msg::channel_open:
            on_open(payload);
            break;
        case msg::channel_open_confirmation:
            on_open_confirmation(payload);
            break;
        case msg::channel_open_failure:
            on_open_failure(payload);
            break;
        case msg::channel_window_adjust:
            on_window_adjust(payload);
            break;
        case msg::channel_data:
        case msg::channel_extended_data:
            on_data(type, payload);
            break;
        case msg::channel_eof:
            on_eof(payload);
            break;
        case msg::channel_close:
            on_close(payload);
            break;
        case msg::channel_request:
            on_request(payload);
            break;
        case msg::channel_success:
        case msg::channel_failure:
            on_reply(type, payload);
            break;
        default:
            // We send no global requests, so REQUEST_SUCCESS/FAILURE are unsolicited.
            channel_error(std::string("unexpected ") + msg::name(type));
    }
}

Channel& ConnectionService::lookup(wire::Reader& r, const char* what)
{
    const uint32_t id = r.get_u32();
    Channel* ch = m_table.find(id);
    if (ch == nullptr) {
        channel_error(std::string(what) + " for unknown channel " + std::to_string(id));
    }
    return *ch;
}

void ConnectionService::on_open(ByteView payload)
{
    wire::Reader r(payload, "SSH_MSG_CHANNEL_OPEN");
    r.get_u8();
    const std::string type = r.get_text(max_request_type);
    const uint32_t sender = r.get_u32();
    const uint32_t window = r.get_u32();
    const uint32_t max_packet = r.get_u32();
    Channel* ch = m_table.allocate();
    if (ch == nullptr) {
        Bytes& out = m_outbox.begin();
        wire::Writer w(out);
        w.put_u8(msg::channel_open_failure);
        w.put_u32(sender);
        w.put_u32(open_resource_shortage);
        w.put_string("too many channels");
        w.put_string("");
        m_outbox.end();
        return;
    }
    ch->remote_id = sender;
    ch->remote_window = window;
    ch->remote_max_packet = std::max<uint32_t>(max_packet, 1);
    ch->state = ChannelState::opening_remote;
    ChannelOpenRequest open{ch->local_id, type, r.get_rest(), {}, 0, {}, 0, {}};
    parse_open_body(open);
    m_events.on_channel_open_request(open);
}

void ConnectionService::on_open_confirmation(ByteView payload)
{
    wire::Reader r(payload, "SSH_MSG_CHANNEL_OPEN_CONFIRMATION");
    r.get_u8();
    Channel& ch = lookup(r, "SSH_MSG_CHANNEL_OPEN_CONFIRMATION");
    if (ch.state != ChannelState::opening_local) {
        channel_error("channel " + std::to_string(ch.local_id) + " confirmed twice");
    }
    ch.remote_id = r.get_u32();
    ch.remote_window = r.get_u32();
    ch.remote_max_packet = std::max<uint32_t>(r.get_u32(), 1);
    ch.state = ChannelState::open;
    m_events.on_channel_open_result(ch.local_id, true, {});
}

void ConnectionService::on_open_failure(ByteView payload)
{
    wire::Reader r(payload, "SSH_MSG_CHANNEL_OPEN_FAILURE");
    r.get_u8();
    Channel& ch = lookup(r, "SSH_MSG_CHANNEL_OPEN_FAILURE");
    if (ch.state != ChannelState::opening_local) {
        channel_error("open failure for established channel " + std::to_string(ch.local_id));
    }
    // RFC 4254 §5.1: the reason code's name leads, as ssh prints it
    // ("connect failed: Connection refused").
    const uint32_t code = r.get_u32();
    const std::string description = open_failure_name(code) + ": " + r.get_text(4096);
    const ChannelId id = ch.local_id;
    m_table.release(id);
    m_events.on_channel_open_result(id, false, description);
}

void ConnectionService::on_window_adjust(ByteView payload)
{
    wire::Reader r(payload, "SSH_MSG_CHANNEL_WINDOW_ADJUST");
    r.get_u8();
    Channel& ch = lookup(r, "SSH_MSG_CHANNEL_WINDOW_ADJUST");
    const uint32_t add = r.get_u32();
    // RFC 4254 §5.2: the window must not grow beyond 2^32 - 1.
    if (uint64_t{ch.remote_window} + add > UINT32_MAX) {
        channel_error("window adjust overflows channel " + std::to_string(ch.local_id));
    }
    ch.remote_window += add;
    if (ch.state == ChannelState::open && !ch.close_sent && add > 0) {
        m_events.on_window_available(ch.local_id);
    }
}

void ConnectionService::on_data(uint8_t type, ByteView payload)
{
    const bool extended = type == msg::channel_extended_data;
    wire::Reader r(payload, msg::name(type));
    r.get_u8();
    Channel& ch = lookup(r, msg::name(type));
    const uint32_t ext_type = extended ? r.get_u32() : 0;
    const ByteView data = r.get_string();
    r.expect_end();
    if (ch.state != ChannelState::open || ch.eof_received || ch.close_received) {
        channel_error("data on channel " + std::to_string(ch.local_id) + " after EOF or close");
    }
    // RFC 4254 §5.2: the peer may not send more than the window allows.
    if (data.size() > ch.local_window) {
        channel_error("channel " + std::to_string(ch.local_id) + ": peer exceeded the window");
    }
    ch.local_window -= static_cast<uint32_t>(data.size());
    if (ch.close_sent) {
        consumed(ch.local_id, data.size());  // nobody will read it
        return;
    }
    if (extended) {
        m_events.on_channel_extended_data(ch.local_id, ext_type, data);
    } else {
        m_events.on_channel_data(ch.local_id, data);
    }
}

void ConnectionService::on_eof(ByteView payload)
{
    wire::Reader r(payload, "SSH_MSG_CHANNEL_EOF");
    r.get_u8();
    Channel& ch = lookup(r, "SSH_MSG_CHANNEL_EOF");
    r.expect_end();
    if (ch.eof_received) {
        return;
    }
    ch.eof_received = true;
    m_events.on_channel_eof(ch.local_id);
}

void ConnectionService::on_close(ByteView payload)
{
    wire::Reader r(payload, "SSH_MSG_CHANNEL_CLOSE");
    r.get_u8();
    Channel& ch = lookup(r, "SSH_MSG_CHANNEL_CLOSE");
    r.expect_end();
    if (ch.close_received) {
        channel_error("channel " + std::to_string(ch.local_id) + " closed twice");
    }
    ch.close_received = true;
    // RFC 4254 §5.3: answer with our own CLOSE unless already sent.
    send_close(ch);
    finish_if_closed(ch);
}

void ConnectionService::on_request(ByteView payload)
{
    wire::Reader r(payload, "SSH_MSG_CHANNEL_REQUEST");
    r.get_u8();
    Channel& ch = lookup(r, "SSH_MSG_CHANNEL_REQUEST");
    ChannelRequest req;
    req.id = ch.local_id;
    req.type = r.get_text(max_request_type);
    req.want_reply = r.get_bool();
    parse_request_body(r, req);
    r.expect_end();
    if (ch.state != ChannelState::open || ch.close_received) {
        channel_error("request on channel " + std::to_string(ch.local_id) + " that is not open");
    }
    if (req.want_reply) {
        ++ch.replies_owed;
    }
    m_events.on_channel_request(req);
}

void ConnectionService::on_reply(uint8_t type, ByteView payload)
{
    wire::Reader r(payload, msg::name(type));
    r.get_u8();
    Channel& ch = lookup(r, msg::name(type));
    r.expect_end();
    if (ch.replies_pending == 0) {
        channel_error(std::string(msg::name(type)) + " without a request on channel " +
                      std::to_string(ch.local_id));
    }
    --ch.replies_pending;
    m_events.on_channel_request_reply(ch.local_id, type == msg::channel_success);
}

void ConnectionService::announce_windows()
{
    std::vector<ChannelId> ready;
    m_table.for_each([&](Channel& ch) {
        if (ch.state == ChannelState::open && !ch.close_sent && ch.remote_window > 0) {
            ready.push_back(ch.local_id);
        }
    });
    for (const ChannelId id : ready) {
        m_events.on_window_available(id);
    }
}

}  // namespace burrow::protocol::channels
