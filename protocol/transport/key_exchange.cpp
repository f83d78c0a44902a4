#include "protocol/transport/key_exchange.h"

#include "protocol/transport/kex_util.h"

#include "crypto/keys.h"
#include "crypto/registry.h"
#include "protocol/error.h"
#include "protocol/messages/kexinit.h"
#include "protocol/messages/numbers.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace burrow::protocol::transport {

std::vector<std::string> or_default(const std::vector<std::string>& configured,
                                    const std::vector<std::string>& defaults)
{
    return configured.empty() ? defaults : configured;
}

void kex_failed(const std::string& why)
{
    throw ProtocolError(DisconnectReason::key_exchange_failed, why);
}

KeyExchange::KeyExchange(const Config& config, EventHandler& events, Outbox& outbox,
                         PacketEncoder& encoder, PacketDecoder& decoder)
    : m_config(config),
      m_events(events),
      m_outbox(outbox),
      m_encoder(encoder),
      m_decoder(decoder),
      m_server(config.role == Role::server)
{
}

KeyExchange::~KeyExchange() = default;

void KeyExchange::set_versions(std::string ours, std::string peers)
{
    m_our_version = std::move(ours);
    m_peer_version = std::move(peers);
}

void KeyExchange::send_kexinit()
{
    if (m_sent_kexinit) {
        return;
    }
    m_sent_kexinit = true;  // first: sending re-enters via the outbox's packet hook
    messages::KexInit k;
    m_config.rng->fill(k.cookie);
    k.kex = or_default(m_config.kex_algorithms,
                       crypto::default_kex(m_server ? crypto::Side::server : crypto::Side::client));
    if (!first_kex_done()) {
        // Signals only valid in the first KEXINIT (PROTOCOL §1.10, RFC 8308 §2.1).
        k.kex.push_back(m_server ? strict_kex_server : strict_kex_client);
        if (!m_server) {
            k.kex.push_back(ext_info_client);
        }
    }
    k.host_key = offered_host_key_algorithms();
    k.cipher_c2s = k.cipher_s2c = or_default(m_config.ciphers, crypto::default_ciphers());
    k.mac_c2s = k.mac_s2c = or_default(m_config.macs, crypto::default_macs());
    k.compression_c2s = k.compression_s2c = m_config.compression;
    m_our_kexinit.clear();
    k.write(m_our_kexinit);
    Bytes& out = m_outbox.begin(true);
    out.insert(out.end(), m_our_kexinit.begin(), m_our_kexinit.end());
    m_outbox.end();
    m_outbox.hold();
}

void KeyExchange::on_message(uint8_t type, ByteView payload)
{
    switch (type) {
        case msg::kexinit:
            on_kexinit(payload);
            break;
        case msg::newkeys:
            on_newkeys(payload);
            break;
        default:
            on_method_message(type, payload);
            break;
    }
}

void KeyExchange::on_kexinit(ByteView payload)
{
    const auto peer = messages::KexInit::parse(payload);
    const bool first = !first_kex_done();
    m_peer_kexinit_payload.assign(payload.begin(), payload.end());
    m_peer_kexinit = true;
    send_kexinit();  // RFC 4253 §7.1: answer a peer-initiated (re)exchange
    const auto ours = messages::KexInit::parse(m_our_kexinit);
    m_neg = m_server ? negotiate(peer, ours, true, first) : negotiate(ours, peer, false, first);
    if (first) {
        m_strict = m_neg->strict_kex;
        // PROTOCOL §1.10: with strict kex the KEXINIT must be the very first packet.
        if (m_strict && m_decoder.packets_since_reset() != 1) {
            throw ProtocolError(DisconnectReason::protocol_error,
                                "strict KEX violation: KEXINIT was not the first packet");
        }
    }
    m_skip_guess = m_neg->ignore_guessed_packet;
    m_events.on_debug(1, "kex: algorithm: " + m_neg->kex);
    m_events.on_debug(1, "kex: host key algorithm: " + m_neg->host_key);
    begin_method();
}

std::vector<std::string> KeyExchange::offered_host_key_algorithms() const
{
    const auto allowed =
        or_default(m_config.host_key_algorithms, crypto::default_host_key_algorithms());
    if (!m_server) {
        return allowed;
    }
    // The server offers each host key under every signature algorithm it is
    // allowed to make with it (RFC 4253 §7.1, RFC 8332 §3.1), in the
    // configured order.
    std::vector<std::string> offer;
    for (const auto& alg : allowed) {
        if (host_key_for(alg) != nullptr) {
            offer.push_back(alg);
        }
    }
    return offer;
}

const crypto::PrivateKey* KeyExchange::host_key_for(const std::string& algorithm) const
{
    for (const auto* key : m_config.host_keys) {
        if (crypto::key_type_for_signature(algorithm) == key->key_type()) {
            return key;
        }
    }
    return nullptr;
}

void KeyExchange::host_key_verdict(bool accept)
{
    if (!m_awaiting_verdict) {
        return;
    }
    m_awaiting_verdict = false;
    if (!accept) {
        throw ProtocolError(DisconnectReason::host_key_not_verifiable,
                            "Host key verification failed.");
    }
    send_newkeys();
}

void KeyExchange::set_exchange_hash(Bytes h)
{
    m_h = std::move(h);
    if (m_session_id.empty()) {
        m_session_id = m_h;  // RFC 4253 §7.2: H of the first exchange
    }
}

crypto::KeyMaterial KeyExchange::key_material() const
{
    return crypto::KeyMaterial{m_method->hash_name(), &*m_secret, m_h, m_session_id};
}

crypto::Direction KeyExchange::outgoing_direction() const
{
    return m_server ? crypto::Direction::server_to_client : crypto::Direction::client_to_server;
}

void KeyExchange::send_newkeys()
{
    Bytes& out = m_outbox.begin(true);
    out.push_back(msg::newkeys);
    m_outbox.end();
    const bool c2s = outgoing_direction() == crypto::Direction::client_to_server;
    const auto& cipher = c2s ? m_neg->cipher_c2s : m_neg->cipher_s2c;
    const auto& mac = c2s ? m_neg->mac_c2s : m_neg->mac_s2c;
    auto key = crypto::make_sealing_key(cipher, mac, key_material(), outgoing_direction());
    if (!key) {
        kex_failed("unsupported cipher " + cipher);
    }
    m_encoder.set_key(std::move(key));
    if (m_strict) {
        m_encoder.reset_sequence();  // PROTOCOL §1.10
    }
    m_comp_out = c2s ? m_neg->compression_c2s : m_neg->compression_s2c;
    m_sent_newkeys = true;
    m_events.on_debug(1, "SSH2_MSG_NEWKEYS sent");
    if (m_server && m_neg->peer_wants_ext_info) {
        send_ext_info();
        m_neg->peer_wants_ext_info = false;
    }
    m_outbox.release();
}

void KeyExchange::send_ext_info()
{
    // RFC 8308 §2.4: sent as the next packet after the server's first NEWKEYS;
    // §3.1 server-sig-algs lists the public key signature algorithms accepted.
    Bytes& out = m_outbox.begin(true);
    wire::Writer w(out);
    w.put_u8(msg::ext_info);
    w.put_u32(1);
    w.put_string("server-sig-algs");
    w.put_name_list(or_default(m_config.pubkey_algorithms, crypto::default_pubkey_algorithms()));
    m_outbox.end();
}

void KeyExchange::on_newkeys(ByteView payload)
{
    wire::Reader r(payload, "SSH_MSG_NEWKEYS");
    r.get_u8();
    r.expect_end();
    const bool c2s = outgoing_direction() != crypto::Direction::client_to_server;
    const auto dir =
        c2s ? crypto::Direction::client_to_server : crypto::Direction::server_to_client;
    const auto& cipher = c2s ? m_neg->cipher_c2s : m_neg->cipher_s2c;
    const auto& mac = c2s ? m_neg->mac_c2s : m_neg->mac_s2c;
    auto key = crypto::make_opening_key(cipher, mac, key_material(), dir);
    if (!key) {
        kex_failed("unsupported cipher " + cipher);
    }
    if (!m_sent_newkeys) {
        throw ProtocolError(DisconnectReason::protocol_error,
                            "SSH_MSG_NEWKEYS received before the key exchange finished");
    }
    m_decoder.set_key(std::move(key));
    if (m_strict) {
        m_decoder.reset_sequence();  // PROTOCOL §1.10
    }
    m_comp_in = c2s ? m_neg->compression_c2s : m_neg->compression_s2c;
    m_events.on_debug(1, "SSH2_MSG_NEWKEYS received");
    ++m_completed;
    m_sent_kexinit = false;
    m_peer_kexinit = false;
    m_sent_newkeys = false;
    m_expect = Expect::kexinit;
    m_secret.reset();  // K is no longer needed: drop it (zeroised in crypto/)
    m_method.reset();
}

}  // namespace burrow::protocol::transport
