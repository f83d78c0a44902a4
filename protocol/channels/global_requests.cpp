#include "protocol/channels/global_requests.h"

#include "protocol/channels/forward_messages.h"
#include "protocol/connection.h"
#include "protocol/error.h"
#include "protocol/messages/numbers.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace burrow::protocol::channels {

namespace {

/// Longest global request name accepted.
constexpr size_t max_request_name = 256;

}  // namespace

void GlobalRequests::on_request(ByteView payload)
{
    wire::Reader r(payload, "SSH_MSG_GLOBAL_REQUEST");
    r.get_u8();
    GlobalRequest request;
    request.name = r.get_text(max_request_name);
    request.want_reply = r.get_bool();
    parse_global_body(request, r.get_rest());
    if (request.want_reply && m_slots.size() >= limits::max_pending_global_requests) {
        throw ProtocolError(DisconnectReason::protocol_error,
                            "more than " + std::to_string(limits::max_pending_global_requests) +
                                " global requests awaiting a reply");
    }
    if (request.want_reply) {
        m_slots.emplace_back();
    }
    const bool taken = m_events.on_global_request(request);
    if (!taken && request.want_reply) {
        // RFC 4254 §4: a request we do not handle gets REQUEST_FAILURE. It
        // is the newest slot; earlier ones may still wait for the owner.
        m_slots.back().answered = true;
        flush();
    }
}

void GlobalRequests::reply(bool success, std::optional<uint32_t> bound_port)
{
    for (Slot& slot : m_slots) {
        if (!slot.answered) {
            slot = Slot{true, success, bound_port};
            flush();
            return;
        }
    }
}

void GlobalRequests::flush()
{
    while (!m_slots.empty() && m_slots.front().answered) {
        const Slot slot = m_slots.front();
        m_slots.pop_front();
        Bytes& out = m_outbox.begin();
        wire::Writer w(out);
        w.put_u8(slot.success ? msg::request_success : msg::request_failure);
        if (slot.success && slot.bound_port) {
            w.put_u32(*slot.bound_port);  // RFC 4254 §7.1: the port bound for port 0
        }
        m_outbox.end();
    }
}

void GlobalRequests::send(std::string_view name, bool want_reply, ByteView body)
{
    Bytes& out = m_outbox.begin();
    wire::Writer w(out);
    w.put_u8(msg::global_request);
    w.put_string(name);
    w.put_bool(want_reply);
    w.put_bytes(body);
    m_outbox.end();
    if (want_reply) {
        ++m_replies_expected;
    }
}

void GlobalRequests::on_reply(uint8_t type, ByteView payload)
{
    if (m_replies_expected == 0) {
        throw ProtocolError(DisconnectReason::protocol_error,
                            std::string("unexpected ") + msg::name(type));
    }
    --m_replies_expected;
    GlobalReply reply;
    reply.success = type == msg::request_success;
    wire::Reader r(payload, msg::name(type));
    r.get_u8();
    // RFC 4254 §7.1: a tcpip-forward success for port 0 carries the port;
    // other successes carry request-specific data we do not interpret.
    if (reply.success && r.remaining() == 4) {
        reply.bound_port = r.get_u32();
    }
    m_events.on_global_reply(reply);
}

}  // namespace burrow::protocol::channels
