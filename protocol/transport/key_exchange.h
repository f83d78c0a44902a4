// The key exchange state machine (RFC 4253 §7-8, RFC 4419, RFC 5656 §4,
// RFC 8731), shared by both roles, first kex and re-exchange alike. It
// handles KEXINIT, the method messages (ECDH-shaped and DH group exchange),
// and NEWKEYS. key_exchange.cpp holds negotiation and key installation;
// kex_flows.cpp the per-method message flows.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "crypto/dh_group_exchange.h"
#include "crypto/kex_method.h"
#include "protocol/connection.h"
#include "protocol/transport/negotiation.h"
#include "protocol/transport/outbox.h"
#include "protocol/transport/packet_decoder.h"
#include "protocol/transport/packet_encoder.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace burrow::protocol::transport {

class KeyExchange {
public:
    /// Which inbound kex message is acceptable now.
    enum class Expect {
        kexinit,       ///< none running: only KEXINIT starts one
        method_init,   ///< server: KEX_ECDH_INIT / KEXDH_INIT (30)
        method_reply,  ///< client: KEX_ECDH_REPLY / KEXDH_REPLY (31)
        gex_request,   ///< server: KEX_DH_GEX_REQUEST (34)
        gex_group,     ///< client: KEX_DH_GEX_GROUP (31)
        gex_init,      ///< server: KEX_DH_GEX_INIT (32)
        gex_reply,     ///< client: KEX_DH_GEX_REPLY (33)
        newkeys,
    };

    KeyExchange(const Config& config, EventHandler& events, Outbox& outbox, PacketEncoder& encoder,
                PacketDecoder& decoder);
    ~KeyExchange();

    /// Both versions are known: remember them for the exchange hash.
    void set_versions(std::string ours, std::string peers);
    /// Send our KEXINIT (start or re-exchange); no-op while one is running.
    void send_kexinit();

    /// Handle a kex message the gate let through.
    void on_message(uint8_t type, ByteView payload);
    /// Client: the owner's verdict on the server's host key.
    void host_key_verdict(bool accept);

    /// True between any KEXINIT (ours or the peer's) and the peer's NEWKEYS.
    bool in_progress() const { return m_sent_kexinit || m_peer_kexinit; }
    /// True while the peer's kex is running: only kex messages may arrive.
    bool peer_in_kex() const { return m_peer_kexinit; }
    Expect expecting() const { return m_expect; }
    /// Client: waiting for host_key_verdict().
    bool awaiting_verdict() const { return m_awaiting_verdict; }
    /// Strict kex (OpenSSH PROTOCOL §1.10) was agreed on the first kex.
    bool strict() const { return m_strict; }
    bool first_kex_done() const { return m_completed > 0; }
    /// Number of completed exchanges (NEWKEYS received).
    unsigned completed() const { return m_completed; }
    ByteView session_id() const { return m_session_id; }
    const Negotiated* negotiated() const { return m_neg ? &*m_neg : nullptr; }
    /// Compression method in force for what we send / receive (set at each
    /// NEWKEYS for its direction; "none" before the first).
    const std::string& compression_out() const { return m_comp_out; }
    const std::string& compression_in() const { return m_comp_in; }

private:
    /// Parameters of a DH group exchange, hashed between K_S and e (RFC 4419 §3).
    struct GexParams {
        uint32_t min = 0, preferred = 0, max = 0;
        crypto::DhGroup group;
    };

    // key_exchange.cpp
    void on_kexinit(ByteView payload);
    void on_newkeys(ByteView payload);
    void set_exchange_hash(Bytes h);
    void send_newkeys();
    void send_ext_info();
    crypto::KeyMaterial key_material() const;
    crypto::Direction outgoing_direction() const;
    std::vector<std::string> offered_host_key_algorithms() const;
    const crypto::PrivateKey* host_key_for(const std::string& algorithm) const;

    // kex_flows.cpp
    void begin_method();
    void on_method_message(uint8_t type, ByteView payload);
    void client_send_init();
    void server_on_gex_request(ByteView payload);
    void client_on_gex_group(ByteView payload);
    void server_on_init(uint8_t type, ByteView payload);
    void client_on_reply(uint8_t type, ByteView payload);
    Bytes hash_prefix(ByteView host_key_blob, ByteView client_pub, ByteView server_pub) const;
    void put_public(wire::Writer& w, ByteView value) const;
    ByteView get_public(wire::Reader& r) const;

    const Config& m_config;
    EventHandler& m_events;
    Outbox& m_outbox;
    PacketEncoder& m_encoder;
    PacketDecoder& m_decoder;
    bool m_server;

    std::string m_our_version, m_peer_version;
    Bytes m_our_kexinit, m_peer_kexinit_payload;
    bool m_sent_kexinit = false;
    bool m_peer_kexinit = false;
    bool m_sent_newkeys = false;
    bool m_strict = false;
    bool m_skip_guess = false;
    bool m_awaiting_verdict = false;
    unsigned m_completed = 0;
    Expect m_expect = Expect::kexinit;
    std::optional<Negotiated> m_neg;
    std::unique_ptr<crypto::KexMethod> m_method;
    std::optional<GexParams> m_gex;
    Bytes m_client_public;
    std::optional<crypto::SharedSecret> m_secret;
    Bytes m_h;
    Bytes m_session_id;
    Bytes m_host_key_blob;  ///< client: the key accepted on the first exchange
    std::string m_comp_out = "none";
    std::string m_comp_in = "none";
};

}  // namespace burrow::protocol::transport
