#include "protocol/connection_impl.h"

#include "protocol/messages/numbers.h"
#include "protocol/transport/gate.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace burrow::protocol {

ConnectionImpl::ConnectionImpl(Config config, EventHandler& events)
    : m_config(std::move(config)),
      m_events(events),
      m_outbox(m_encoder, *m_config.rng),
      m_version(m_config.role),
      m_kex(m_config, m_events, m_outbox, m_encoder, m_decoder),
      m_server_auth(m_config, m_events, m_outbox),
      m_client_auth(m_config, m_events, m_outbox),
      m_service(m_events, m_outbox)
{
    m_outbox.set_after_packet([this] { maybe_rekey(); });
    m_server_auth.set_on_success([this] { update_compression(); });
    m_client_auth.set_on_success([this] { update_compression(); });
}

void ConnectionImpl::start(Millis now)
{
    // RFC 4253 §4.2: identification string, then KEXINIT right away.
    const std::string line = m_config.version + "\r\n";
    m_encoder.append_raw(as_bytes(line));
    m_clock = now;
    if (m_config.role == Role::server && m_config.login_grace_time.count() > 0) {
        m_login_deadline = now + m_config.login_grace_time;
    }
    m_kex.send_kexinit();
}

bool ConnectionImpl::paused() const
{
    return m_kex.awaiting_verdict() || m_server_auth.awaiting_answer();
}

bool ConnectionImpl::authenticated() const
{
    return m_config.role == Role::server ? m_server_auth.authenticated()
                                         : m_client_auth.authenticated();
}

void ConnectionImpl::feed(ByteView data)
{
    guarded([&] {
        if (!m_version.done()) {
            const size_t used = m_version.consume(data);
            data = data.subspan(used);
            if (m_version.done()) {
                m_kex.set_versions(m_config.version, m_version.peer_version());
                m_events.on_debug(1, "Remote protocol version: " + m_version.peer_version());
            }
        }
        m_decoder.append(data);
    });
}

void ConnectionImpl::feed_eof(std::string_view why)
{
    if (m_closing) {
        return;
    }
    m_closing = true;
    // An empty reason is a plain EOF from the peer; otherwise a local socket error.
    const bool eof = why.empty();
    m_events.on_disconnected(DisconnectInfo{
        DisconnectReason::connection_lost,
        eof ? std::string("Connection closed by remote host") : std::string(why), eof});
}

void ConnectionImpl::process()
{
    if (m_processing || !m_version.done()) {
        return;
    }
    m_processing = true;
    try {
        while (!m_closing && !paused()) {
            const auto payload = m_decoder.next_payload();
            if (!payload) {
                break;
            }
            dispatch(*payload);
            after_step();
        }
    } catch (...) {
        m_processing = false;
        throw;
    }
    m_decoder.compact();
    m_processing = false;
}

void ConnectionImpl::dispatch(ByteView payload)
{
    const uint8_t type = payload[0];
    transport::GateState state;
    state.role = m_config.role;
    state.peer_in_kex = m_kex.peer_in_kex();
    state.expect = m_kex.expecting();
    state.strict_first_kex = m_kex.strict() && !m_kex.first_kex_done();
    state.first_kex_done = m_kex.first_kex_done();
    state.authenticated = authenticated();
    switch (transport::check_inbound(type, state)) {
        case transport::GateVerdict::ignore:
            return;
        case transport::GateVerdict::unimplemented:
            send_unimplemented(m_decoder.sequence() - 1);
            return;
        case transport::GateVerdict::deliver:
            break;
    }
    switch (type) {
        case msg::disconnect:
            on_peer_disconnect(payload);
            return;
        case msg::ignore:
        case msg::unimplemented:
            return;
        case msg::debug:
            on_debug_message(payload);
            return;
        default:
            break;
    }
    if (type >= msg::kexinit && type < msg::userauth_request) {
        on_kex_message(type, payload);  // the gate checked it is the expected one
        return;
    }
    if (type < msg::global_request) {
        dispatch_auth(type, payload);
        return;
    }
    m_service.on_message(type, payload);
}

void ConnectionImpl::dispatch_auth(uint8_t type, ByteView payload)
{
    switch (type) {
        case msg::service_request:
            m_server_auth.on_service_request(payload);
            break;
        case msg::userauth_request:
            m_server_auth.on_request(payload, m_kex.session_id());
            break;
        case msg::service_accept:
            m_client_auth.on_service_accept(payload);
            break;
        case msg::ext_info:
            m_client_auth.on_ext_info(payload);
            break;
        case msg::userauth_failure:
            m_client_auth.on_failure(payload);
            break;
        case msg::userauth_success:
            m_client_auth.on_success(payload);
            break;
        case msg::userauth_banner:
            m_client_auth.on_banner(payload);
            break;
        case msg::userauth_pk_ok:  // = PASSWD_CHANGEREQ = INFO_REQUEST, by attempt
            m_client_auth.on_method_reply(payload, m_kex.session_id());
            break;
        case msg::userauth_info_response:
            m_server_auth.on_info_response(payload);
            break;
        default:
            send_unimplemented(m_decoder.sequence() - 1);
            break;
    }
}

void ConnectionImpl::on_kex_message(uint8_t type, ByteView payload)
{
    const unsigned before = m_kex.completed();
    m_kex.on_message(type, payload);
    if (m_kex.completed() == before) {
        return;
    }
    const bool first = m_kex.completed() == 1;
    if (m_config.rekey_interval.count() > 0) {
        m_rekey_at = m_clock + m_config.rekey_interval;
    }
    m_events.on_kex_done(first);
    if (first && m_config.role == Role::client) {
        m_client_auth.request_service();
    }
    if (!first) {
        m_service.announce_windows();
    }
}

void ConnectionImpl::on_peer_disconnect(ByteView payload)
{
    wire::Reader r(payload, "SSH_MSG_DISCONNECT");
    r.get_u8();
    const uint32_t code = r.get_u32();
    const std::string text = r.get_text(4096);
    m_closing = true;
    m_events.on_disconnected(DisconnectInfo{static_cast<DisconnectReason>(code), text, true});
}

void ConnectionImpl::on_debug_message(ByteView payload)
{
    wire::Reader r(payload, "SSH_MSG_DEBUG");
    r.get_u8();
    r.get_bool();
    const std::string text = r.get_text(4096);
    m_events.on_debug(2, "remote debug: " + text);
}

void ConnectionImpl::after_step()
{
    if (m_closing) {
        return;
    }
    update_compression();
    maybe_rekey();
}

void ConnectionImpl::update_compression()
{
    // zlib@openssh.com starts only once authentication has succeeded: the
    // server after sending USERAUTH_SUCCESS, the client after receiving it.
    // Never before, whatever was negotiated.
    const bool authed = authenticated();
    const bool out = authed && m_kex.compression_out() == transport::zlib_openssh;
    const bool in = authed && m_kex.compression_in() == transport::zlib_openssh;
    if (out != m_compression_out) {
        m_encoder.set_compression(out);
        m_compression_out = out;
    }
    if (in != m_compression_in) {
        m_decoder.set_compression(in);
        m_compression_in = in;
    }
}

uint64_t ConnectionImpl::rekey_bytes() const
{
    if (m_config.rekey_bytes != 0) {
        return m_config.rekey_bytes;
    }
    // RFC 4344 §3.2: at most 2^(L/4) blocks of an L-bit block cipher per
    // key; for smaller (or stream) ciphers 1 GiB, as OpenSSH does.
    const size_t block = m_encoder.traits().block_size;
    return block >= 16 ? (uint64_t{1} << 32) * block : uint64_t{1} << 30;
}

void ConnectionImpl::maybe_rekey()
{
    if (!m_kex.first_kex_done() || m_kex.in_progress()) {
        return;
    }
    const uint64_t limit = rekey_bytes();
    if (m_encoder.bytes_since_key() >= limit || m_decoder.bytes_since_key() >= limit) {
        m_events.on_debug(1, "rekeying: data limit reached");
        m_kex.send_kexinit();
    }
}

std::optional<Millis> ConnectionImpl::next_deadline() const
{
    if (m_closing) {
        return std::nullopt;
    }
    std::optional<Millis> next;
    if (!authenticated()) {
        next = m_login_deadline;
    }
    if (m_rekey_at && !m_kex.in_progress()) {
        next = next ? std::min(*next, *m_rekey_at) : *m_rekey_at;
    }
    return next;
}

void ConnectionImpl::on_deadline(Millis now)
{
    m_clock = now;
    if (m_closing) {
        return;
    }
    if (!authenticated() && m_login_deadline && now >= *m_login_deadline) {
        // sshd(8) LoginGraceTime: drop connections that do not authenticate in time.
        fail(DisconnectReason::by_application, "Timeout before authentication");
        return;
    }
    if (m_rekey_at && now >= *m_rekey_at && m_kex.first_kex_done() && !m_kex.in_progress()) {
        m_rekey_at.reset();
        m_events.on_debug(1, "rekeying: time limit reached");
        guarded([&] { m_kex.send_kexinit(); });
    }
}

void ConnectionImpl::send_unimplemented(uint32_t seq)
{
    // RFC 4253 §11.4: name the rejected packet by its sequence number.
    Bytes& out = m_outbox.begin(true);
    wire::Writer w(out);
    w.put_u8(msg::unimplemented);
    w.put_u32(seq);
    m_outbox.end();
}

void ConnectionImpl::fail(DisconnectReason reason, const std::string& message)
{
    if (m_closing) {
        return;
    }
    m_closing = true;
    // RFC 4253 §11.1: tell the peer why before closing.
    Bytes& out = m_outbox.begin(true);
    wire::Writer w(out);
    w.put_u8(msg::disconnect);
    w.put_u32(static_cast<uint32_t>(reason));
    w.put_string(message);
    w.put_string("");
    m_outbox.end();
    m_events.on_disconnected(DisconnectInfo{reason, message, false});
}

}  // namespace burrow::protocol
