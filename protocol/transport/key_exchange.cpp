#include "protocol/transport/key_exchange.h"

#include "crypto/keys.h"
#include "crypto/registry.h"
#include "protocol/error.h"
#include "protocol/messages/kexinit.h"
#include "protocol/messages/numbers.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace burrow::protocol::transport {

namespace {

std::vector<std::string> or_default(const std::vector<std::string>& configured,
                                    const std::vector<std::string>& defaults)
{
    return configured.empty() ? defaults : configured;
}

[[noreturn]] void kex_failed(const std::string& why)
{
    throw ProtocolError(DisconnectReason::key_exchange_failed, why);
}

}  // namespace

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
    messages::KexInit k;
    m_config.rng->fill(k.cookie);
    k.kex = or_default(m_config.kex_algorithms, crypto::supported_kex());
    if (!first_kex_done()) {
        // Signals only valid in the first KEXINIT (PROTOCOL §1.10, RFC 8308 §2.1).
        k.kex.push_back(m_server ? strict_kex_server : strict_kex_client);
        if (!m_server) {
            k.kex.push_back(ext_info_client);
        }
    }
    if (m_server) {
        for (const auto* key : m_config.host_keys) {
            for (auto& alg : crypto::signature_algorithms_for(key->key_type())) {
                k.host_key.push_back(alg);
            }
        }
    } else {
        k.host_key =
            or_default(m_config.host_key_algorithms, crypto::supported_signature_algorithms());
    }
    k.cipher_c2s = k.cipher_s2c = or_default(m_config.ciphers, crypto::supported_ciphers());
    k.mac_c2s = k.mac_s2c = or_default(m_config.macs, crypto::supported_macs());
    k.compression_c2s = k.compression_s2c = {"none"};
    m_our_kexinit.clear();
    k.write(m_our_kexinit);
    Bytes& out = m_outbox.begin(true);
    out.insert(out.end(), m_our_kexinit.begin(), m_our_kexinit.end());
    m_outbox.end();
    m_outbox.hold();
    m_sent_kexinit = true;
}

void KeyExchange::on_message(uint8_t type, ByteView payload)
{
    switch (type) {
        case msg::kexinit:
            on_kexinit(payload);
            break;
        case msg::kex_ecdh_init:
            on_method_init(payload);
            break;
        case msg::kex_ecdh_reply:
            on_method_reply(payload);
            break;
        case msg::newkeys:
            on_newkeys(payload);
            break;
        default:
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

void KeyExchange::begin_method()
{
    m_method = crypto::make_kex(m_neg->kex);
    if (!m_method) {
        kex_failed("unsupported key exchange method " + m_neg->kex);
    }
    if (m_server) {
        m_expect = Expect::method_init;
        return;
    }
    m_client_public = m_method->client_keypair(*m_config.rng);
    Bytes& out = m_outbox.begin(true);
    wire::Writer w(out);
    w.put_u8(msg::kex_ecdh_init);
    w.put_string(m_client_public);
    m_outbox.end();
    m_expect = Expect::method_reply;
}

Bytes KeyExchange::hash_prefix(ByteView host_key_blob, ByteView client_pub,
                               ByteView server_pub) const
{
    // RFC 5656 §4 / RFC 8731 §3: H = HASH(V_C || V_S || I_C || I_S || K_S ||
    // Q_C || Q_S || K); K is appended inside crypto/.
    Bytes prefix;
    wire::Writer w(prefix);
    const std::string& vc = m_server ? m_peer_version : m_our_version;
    const std::string& vs = m_server ? m_our_version : m_peer_version;
    const Bytes& ic = m_server ? m_peer_kexinit_payload : m_our_kexinit;
    const Bytes& is = m_server ? m_our_kexinit : m_peer_kexinit_payload;
    w.put_string(vc);
    w.put_string(vs);
    w.put_string(ic);
    w.put_string(is);
    w.put_string(host_key_blob);
    w.put_string(client_pub);
    w.put_string(server_pub);
    return prefix;
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

void KeyExchange::on_method_init(ByteView payload)
{
    if (m_skip_guess) {
        m_skip_guess = false;  // RFC 4253 §7.1: discard the wrong guess
        return;
    }
    wire::Reader r(payload, "SSH_MSG_KEX_ECDH_INIT");
    r.get_u8();
    const ByteView client_pub = r.get_string();
    r.expect_end();
    auto enc = m_method->server_encapsulate(client_pub, *m_config.rng);
    if (!enc) {
        kex_failed("invalid client public value in key exchange");
    }
    const auto* host_key = host_key_for(m_neg->host_key);
    if (host_key == nullptr) {
        kex_failed("no host key for " + m_neg->host_key);
    }
    const Bytes& blob = host_key->public_key().blob();
    const Bytes prefix = hash_prefix(blob, client_pub, enc->server_public);
    set_exchange_hash(crypto::exchange_hash(m_method->hash_name(), prefix, enc->secret));
    m_secret.emplace(std::move(enc->secret));
    const Bytes signature = host_key->sign(m_neg->host_key, m_h, *m_config.rng);
    Bytes& out = m_outbox.begin(true);
    wire::Writer w(out);
    w.put_u8(msg::kex_ecdh_reply);
    w.put_string(blob);
    w.put_string(enc->server_public);
    w.put_string(signature);
    m_outbox.end();
    send_newkeys();
    m_expect = Expect::newkeys;
}

void KeyExchange::on_method_reply(ByteView payload)
{
    if (m_skip_guess) {
        m_skip_guess = false;
        return;
    }
    wire::Reader r(payload, "SSH_MSG_KEX_ECDH_REPLY");
    r.get_u8();
    const ByteView host_key_blob = r.get_string();
    const ByteView server_pub = r.get_string();
    const ByteView signature = r.get_string();
    r.expect_end();
    auto secret = m_method->client_decapsulate(server_pub);
    if (!secret) {
        kex_failed("invalid server public value in key exchange");
    }
    const auto key = crypto::parse_public_key_blob(host_key_blob);
    if (!key || crypto::key_type_for_signature(m_neg->host_key) != key->key_type()) {
        kex_failed("server host key does not match the negotiated type " + m_neg->host_key);
    }
    const Bytes prefix = hash_prefix(host_key_blob, m_client_public, server_pub);
    set_exchange_hash(crypto::exchange_hash(m_method->hash_name(), prefix, *secret));
    m_secret.emplace(std::move(*secret));
    // RFC 4253 §8: the client verifies the signature of H with K_S.
    if (!key->verify(m_neg->host_key, m_h, signature)) {
        kex_failed("incorrect signature on the exchange hash");
    }
    m_awaiting_verdict = true;
    m_expect = Expect::newkeys;
    m_events.on_host_key(HostKeyCheck{m_neg->host_key, host_key_blob});
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
    w.put_name_list(crypto::supported_signature_algorithms());
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
