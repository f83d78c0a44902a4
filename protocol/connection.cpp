// protocol::Connection: the public face; every command runs guarded so a
// ProtocolError raised while handling it ends the connection cleanly.
#include "protocol/connection.h"

#include "protocol/channels/forward_messages.h"
#include "protocol/channels/session_requests.h"
#include "protocol/connection_impl.h"

namespace burrow::protocol {

Connection::Connection(Config config, EventHandler& events)
    : m_impl(std::make_unique<ConnectionImpl>(std::move(config), events))
{
}

Connection::~Connection() = default;

void Connection::start(Millis now)
{
    m_impl->guarded([&] { m_impl->start(now); });
}

void Connection::feed(ByteView data)
{
    m_impl->feed(data);
}

void Connection::feed_eof(std::string_view why)
{
    m_impl->feed_eof(why);
}

ByteView Connection::pending_output() const
{
    return m_impl->m_encoder.pending();
}

void Connection::consume_output(size_t n)
{
    m_impl->m_encoder.consume(n);
}

Bytes Connection::take_output()
{
    return m_impl->m_encoder.take();
}

void Connection::recycle_output(Bytes buffer)
{
    m_impl->m_encoder.recycle(std::move(buffer));
}

bool Connection::wants_input() const
{
    // Bounded input: while paused we stop reading rather than buffer more
    // than a packet's worth.
    return !m_impl->m_closing &&
           (!m_impl->paused() || m_impl->m_decoder.buffered() < limits::max_packet_size);
}

bool Connection::is_closed() const
{
    return m_impl->m_closing && m_impl->m_encoder.pending().empty();
}

std::optional<Millis> Connection::next_deadline() const
{
    return m_impl->next_deadline();
}

void Connection::on_deadline(Millis now)
{
    m_impl->on_deadline(now);
}

void Connection::accept_host_key(bool accept)
{
    m_impl->guarded([&] { m_impl->m_kex.host_key_verdict(accept); });
}

void Connection::disconnect(DisconnectReason reason, std::string_view message)
{
    m_impl->fail(reason, std::string(message));
}

ByteView Connection::session_id() const
{
    return m_impl->m_kex.session_id();
}

std::string_view Connection::peer_version() const
{
    return m_impl->m_version.peer_version();
}

std::string Connection::negotiated_summary() const
{
    const auto* n = m_impl->m_kex.negotiated();
    if (n == nullptr) {
        return {};
    }
    return "kex " + n->kex + ", host key " + n->host_key + ", cipher " + n->cipher_c2s + " / " +
           n->cipher_s2c;
}

void Connection::auth_none(std::string_view user)
{
    m_impl->guarded([&] { m_impl->m_client_auth.try_none(user); });
}

void Connection::auth_publickey(std::string_view user, const crypto::PrivateKey& key)
{
    m_impl->guarded([&] { m_impl->m_client_auth.try_publickey(user, key); });
}

void Connection::auth_password(std::string_view user, ByteView password)
{
    m_impl->guarded([&] { m_impl->m_client_auth.try_password(user, password); });
}

void Connection::auth_keyboard_interactive(std::string_view user, std::string_view submethods)
{
    m_impl->guarded([&] { m_impl->m_client_auth.try_keyboard_interactive(user, submethods); });
}

void Connection::answer_info_request(const std::vector<std::string>& responses)
{
    m_impl->guarded([&] { m_impl->m_client_auth.answer_info_request(responses); });
}

void Connection::answer_auth(AuthVerdict verdict)
{
    m_impl->guarded([&] { m_impl->m_server_auth.answer(verdict); });
}

void Connection::answer_auth(bool accept)
{
    answer_auth(accept ? AuthVerdict::accept : AuthVerdict::reject);
}

void Connection::send_info_request(const InfoRequest& request)
{
    m_impl->guarded([&] { m_impl->m_server_auth.send_info_request(request); });
}

void Connection::set_auth_methods(std::vector<std::string> methods)
{
    m_impl->m_server_auth.set_methods(std::move(methods));
}

void Connection::set_max_auth_tries(unsigned tries)
{
    m_impl->m_server_auth.set_max_tries(tries);
}

void Connection::send_auth_banner(std::string_view text)
{
    m_impl->guarded([&] { m_impl->m_server_auth.send_banner(text); });
}

std::string_view Connection::authenticated_user() const
{
    return m_impl->m_server_auth.user();
}

bool Connection::rekey()
{
    bool started = false;
    m_impl->guarded([&] {
        if (m_impl->m_kex.first_kex_done() && !m_impl->m_kex.in_progress() && !m_impl->m_closing) {
            m_impl->m_events.on_debug(1, "rekeying: requested");
            m_impl->m_kex.send_kexinit();
            started = true;
        }
    });
    return started;
}

std::optional<ChannelId> Connection::open_session()
{
    std::optional<ChannelId> id;
    m_impl->guarded([&] { id = m_impl->m_service.open_session(); });
    return id;
}

std::optional<ChannelId> Connection::open_channel(std::string_view type, ByteView type_specific)
{
    std::optional<ChannelId> id;
    m_impl->guarded([&] { id = m_impl->m_service.open_channel(type, type_specific); });
    return id;
}

void Connection::accept_channel(ChannelId id)
{
    m_impl->guarded([&] { m_impl->m_service.accept(id); });
}

void Connection::reject_channel(ChannelId id, uint32_t reason_code, std::string_view message)
{
    m_impl->guarded([&] { m_impl->m_service.reject(id, reason_code, message); });
}

void Connection::request_exec(ChannelId id, std::string_view command, bool want_reply)
{
    send_channel_request(id, "exec", want_reply, channels::encode_exec(command));  // RFC 4254 §6.5
}

void Connection::request_shell(ChannelId id, bool want_reply)
{
    send_channel_request(id, "shell", want_reply, {});  // RFC 4254 §6.5
}

void Connection::request_subsystem(ChannelId id, std::string_view name, bool want_reply)
{
    send_channel_request(id, "subsystem", want_reply, channels::encode_exec(name));
}

void Connection::request_pty(ChannelId id, const PtyRequest& pty, bool want_reply)
{
    send_channel_request(id, "pty-req", want_reply, channels::encode_pty_request(pty));
}

void Connection::send_window_change(ChannelId id, const WindowSize& size)
{
    // RFC 4254 §6.7: want reply is always false.
    send_channel_request(id, "window-change", false, channels::encode_window_change(size));
}

void Connection::request_env(ChannelId id, std::string_view name, std::string_view value,
                             bool want_reply)
{
    send_channel_request(id, "env", want_reply, channels::encode_env(name, value));
}

void Connection::send_signal(ChannelId id, std::string_view name)
{
    // RFC 4254 §6.9: want reply is always false.
    send_channel_request(id, "signal", false, channels::encode_signal(name));
}

void Connection::send_break(ChannelId id, uint32_t milliseconds, bool want_reply)
{
    send_channel_request(id, "break", want_reply, channels::encode_break(milliseconds));
}

void Connection::send_channel_request(ChannelId id, std::string_view type, bool want_reply,
                                      ByteView body)
{
    m_impl->guarded([&] { m_impl->m_service.send_request(id, type, want_reply, body); });
}

std::optional<ChannelId> Connection::open_direct_tcpip(std::string_view host, uint32_t port,
                                                       std::string_view originator_ip,
                                                       uint32_t originator_port)
{
    // RFC 4254 §7.2
    return open_channel("direct-tcpip",
                        channels::encode_tcpip_open(host, port, originator_ip, originator_port));
}

std::optional<ChannelId> Connection::open_forwarded_tcpip(std::string_view connected_address,
                                                          uint32_t connected_port,
                                                          std::string_view originator_ip,
                                                          uint32_t originator_port)
{
    // RFC 4254 §7.2
    return open_channel("forwarded-tcpip",
                        channels::encode_tcpip_open(connected_address, connected_port,
                                                    originator_ip, originator_port));
}

std::optional<ChannelId> Connection::open_direct_streamlocal(std::string_view socket_path)
{
    return open_channel("direct-streamlocal@openssh.com",
                        channels::encode_direct_streamlocal_open(socket_path));
}

std::optional<ChannelId> Connection::open_forwarded_streamlocal(std::string_view socket_path)
{
    return open_channel("forwarded-streamlocal@openssh.com",
                        channels::encode_forwarded_streamlocal_open(socket_path));
}

void Connection::send_global_request(std::string_view name, bool want_reply, ByteView body)
{
    m_impl->guarded([&] { m_impl->m_service.global().send(name, want_reply, body); });
}

void Connection::request_tcpip_forward(std::string_view bind_address, uint32_t port)
{
    // RFC 4254 §7.1
    send_global_request("tcpip-forward", true, channels::encode_forward_request(bind_address, port));
}

void Connection::cancel_tcpip_forward(std::string_view bind_address, uint32_t port)
{
    send_global_request("cancel-tcpip-forward", true,
                        channels::encode_forward_request(bind_address, port));
}

void Connection::request_streamlocal_forward(std::string_view socket_path)
{
    send_global_request("streamlocal-forward@openssh.com", true,
                        channels::encode_streamlocal_request(socket_path));
}

void Connection::cancel_streamlocal_forward(std::string_view socket_path)
{
    send_global_request("cancel-streamlocal-forward@openssh.com", true,
                        channels::encode_streamlocal_request(socket_path));
}

void Connection::send_keepalive()
{
    send_global_request("keepalive@openssh.com", true, {});
}

void Connection::send_no_more_sessions()
{
    send_global_request("no-more-sessions@openssh.com", false, {});
}

void Connection::reply_global_request(bool success, std::optional<uint32_t> bound_port)
{
    m_impl->guarded([&] { m_impl->m_service.global().reply(success, bound_port); });
}

void Connection::reply_channel_request(ChannelId id, bool success)
{
    m_impl->guarded([&] { m_impl->m_service.reply(id, success); });
}

size_t Connection::send_data(ChannelId id, ByteView data)
{
    return send_extended_data(id, 0, data);
}

size_t Connection::send_extended_data(ChannelId id, uint32_t type, ByteView data)
{
    size_t sent = 0;
    m_impl->guarded([&] { sent = m_impl->m_service.send_data(id, type, data); });
    return sent;
}

size_t Connection::send_window(ChannelId id) const
{
    return m_impl->m_closing ? 0 : m_impl->m_service.send_window(id);
}

void Connection::consume_channel_data(ChannelId id, size_t n)
{
    m_impl->guarded([&] { m_impl->m_service.consumed(id, n); });
}

void Connection::send_eof(ChannelId id)
{
    m_impl->guarded([&] { m_impl->m_service.send_eof(id); });
}

void Connection::send_exit_status(ChannelId id, uint32_t status)
{
    // RFC 4254 §6.10
    send_channel_request(id, "exit-status", false, channels::encode_exit_status(status));
}

void Connection::send_exit_signal(ChannelId id, std::string_view signal, bool core_dumped,
                                  std::string_view message)
{
    // RFC 4254 §6.10: the name is given without "SIG".
    send_channel_request(id, "exit-signal", false,
                         channels::encode_exit_signal(signal, core_dumped, message));
}

void Connection::close_channel(ChannelId id)
{
    m_impl->guarded([&] { m_impl->m_service.close(id); });
}

}  // namespace burrow::protocol
