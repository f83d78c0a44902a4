// Internals of protocol::Connection: owns the transport pieces and the
// auth and connection layers, and dispatches each inbound message through
// the gate to exactly one of them.
#pragma once

#include <optional>

#include "protocol/auth/client_auth.h"
#include "protocol/auth/server_auth.h"
#include "protocol/channels/connection_service.h"
#include "protocol/connection.h"
#include "protocol/transport/key_exchange.h"
#include "protocol/transport/outbox.h"
#include "protocol/transport/packet_decoder.h"
#include "protocol/transport/packet_encoder.h"
#include "protocol/transport/version.h"

namespace burrow::protocol {

class ConnectionImpl {
public:
    ConnectionImpl(Config config, EventHandler& events);

    void start(Millis now);
    void feed(ByteView data);
    void feed_eof(std::string_view why);
    /// Run `f`; a ProtocolError it throws ends the connection cleanly.
    template <typename F>
    void guarded(F&& f)
    {
        if (m_closing) {
            return;
        }
        try {
            f();
            process();
            after_step();
        } catch (const ProtocolError& e) {
            fail(e.reason(), e.what());
        }
    }
    void fail(DisconnectReason reason, const std::string& message);
    bool paused() const;
    bool authenticated() const;
    /// Deadlines: login grace (server, until authenticated) and the next re-key.
    std::optional<Millis> next_deadline() const;
    void on_deadline(Millis now);
    /// After every message or command: switch compression at the point the
    /// rules say, and start a re-key when a limit is reached.
    void after_step();

    Config m_config;
    EventHandler& m_events;
    transport::PacketEncoder m_encoder;
    transport::PacketDecoder m_decoder;
    transport::Outbox m_outbox;
    transport::VersionExchange m_version;
    transport::KeyExchange m_kex;
    auth::ServerAuth m_server_auth;
    auth::ClientAuth m_client_auth;
    channels::ConnectionService m_service;
    std::optional<Millis> m_login_deadline;
    /// Latest time the owner told us (start / on_deadline): the core has no clock.
    Millis m_clock{0};
    /// When the next time-based re-key is due (RekeyLimit's time part).
    std::optional<Millis> m_rekey_at;
    bool m_compression_out = false;
    bool m_compression_in = false;
    bool m_closing = false;
    bool m_processing = false;

private:
    void process();
    void dispatch(ByteView payload);
    void dispatch_auth(uint8_t type, ByteView payload);
    void on_kex_message(uint8_t type, ByteView payload);
    void on_peer_disconnect(ByteView payload);
    void on_debug_message(ByteView payload);
    void send_unimplemented(uint32_t seq);
    void update_compression();
    void maybe_rekey();
    uint64_t rekey_bytes() const;
};

}  // namespace burrow::protocol
