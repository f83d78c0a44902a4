// The method messages of a key exchange. Two flows share the code:
//  - fixed methods (curve25519, ECDH, fixed DH groups): client INIT(30) with
//    its public value, server REPLY(31) with K_S, its public value and the
//    signature of H (RFC 4253 §8, RFC 5656 §4, RFC 8731 §3);
//  - DH group exchange (RFC 4419 §3): client REQUEST(34) with size bounds,
//    server GROUP(31) with p and g, then INIT(32) / REPLY(33) as above, with
//    min, n, max, p and g in the exchange hash.
// Public values are strings for ECDH-shaped methods and mpints for DH.
#include <algorithm>

#include "crypto/registry.h"
#include "protocol/error.h"
#include "protocol/messages/numbers.h"
#include "protocol/transport/kex_util.h"
#include "protocol/transport/key_exchange.h"

namespace burrow::protocol::transport {

namespace {

/// Strip the sign byte of a non-negative mpint: the magnitude crypto/ takes.
ByteView magnitude(ByteView mpint)
{
    while (!mpint.empty() && mpint.front() == 0) {
        mpint = mpint.subspan(1);
    }
    return mpint;
}

/// Bits in an unsigned big-endian magnitude without leading zero bytes.
uint32_t bit_length(ByteView magnitude)
{
    if (magnitude.empty()) {
        return 0;
    }
    uint32_t bits = static_cast<uint32_t>(magnitude.size() - 1) * 8;
    for (uint8_t top = magnitude.front(); top != 0; top >>= 1) {
        ++bits;
    }
    return bits;
}

}  // namespace

void KeyExchange::begin_method()
{
    m_gex.reset();
    m_method.reset();
    if (crypto::is_group_exchange(m_neg->kex)) {
        if (m_server) {
            m_expect = Expect::gex_request;
            return;
        }
        // RFC 4419 §3: ask for a group between min and max bits, n preferred.
        m_gex = GexParams{};
        m_gex->min = crypto::gex_min_bits;
        m_gex->preferred = crypto::gex_preferred_bits;
        m_gex->max = crypto::gex_max_bits;
        Bytes& out = m_outbox.begin(true);
        wire::Writer w(out);
        w.put_u8(msg::kex_dh_gex_request);
        w.put_u32(m_gex->min);
        w.put_u32(m_gex->preferred);
        w.put_u32(m_gex->max);
        m_outbox.end();
        m_expect = Expect::gex_group;
        return;
    }
    m_method = crypto::make_kex(m_neg->kex);
    if (!m_method) {
        kex_failed("unsupported key exchange method " + m_neg->kex);
    }
    if (m_server) {
        m_expect = Expect::method_init;
        return;
    }
    client_send_init();
}

void KeyExchange::on_method_message(uint8_t type, ByteView payload)
{
    if (m_skip_guess) {
        // RFC 4253 §7.1: the peer's guessed first kex packet was wrong: ignore it.
        m_skip_guess = false;
        return;
    }
    switch (m_expect) {
        case Expect::gex_request:
            server_on_gex_request(payload);
            break;
        case Expect::gex_group:
            client_on_gex_group(payload);
            break;
        case Expect::method_init:
        case Expect::gex_init:
            server_on_init(type, payload);
            break;
        case Expect::method_reply:
        case Expect::gex_reply:
            client_on_reply(type, payload);
            break;
        case Expect::kexinit:
        case Expect::newkeys:
            break;  // the gate does not let these through
    }
}

void KeyExchange::put_public(wire::Writer& w, ByteView value) const
{
    if (m_method->public_encoding() == crypto::PublicEncoding::mpint) {
        w.put_mpint_unsigned(value);
    } else {
        w.put_string(value);
    }
}

ByteView KeyExchange::get_public(wire::Reader& r) const
{
    if (m_method->public_encoding() == crypto::PublicEncoding::mpint) {
        return magnitude(r.get_mpint());
    }
    return r.get_string();
}

void KeyExchange::client_send_init()
{
    m_client_public = m_method->client_keypair(*m_config.rng);
    Bytes& out = m_outbox.begin(true);
    wire::Writer w(out);
    w.put_u8(m_gex ? msg::kex_dh_gex_init : msg::kex_ecdh_init);
    put_public(w, m_client_public);
    m_outbox.end();
    m_expect = m_gex ? Expect::gex_reply : Expect::method_reply;
}

void KeyExchange::server_on_gex_request(ByteView payload)
{
    wire::Reader r(payload, "SSH_MSG_KEX_DH_GEX_REQUEST");
    r.get_u8();
    GexParams gex;
    gex.min = r.get_u32();
    gex.preferred = r.get_u32();
    gex.max = r.get_u32();
    r.expect_end();
    // RFC 4419 §3: min <= n <= max.
    if (gex.min > gex.preferred || gex.preferred > gex.max) {
        kex_failed("invalid group exchange request sizes");
    }
    const auto& groups = m_config.dh_groups.empty() ? crypto::builtin_groups() : m_config.dh_groups;
    auto group = crypto::choose_group(groups, gex.min, gex.preferred, gex.max, *m_config.rng);
    if (!group) {
        kex_failed("no DH group between " + std::to_string(gex.min) + " and " +
                   std::to_string(gex.max) + " bits");
    }
    m_method = crypto::make_group_exchange_kex(m_neg->kex, *group);
    if (!m_method) {
        kex_failed("unusable DH group");
    }
    gex.group = std::move(*group);
    Bytes& out = m_outbox.begin(true);
    wire::Writer w(out);
    w.put_u8(msg::kex_dh_gex_group);
    w.put_mpint_unsigned(gex.group.p);
    w.put_mpint_unsigned(gex.group.g);
    m_outbox.end();
    m_gex = std::move(gex);
    m_expect = Expect::gex_init;
}

void KeyExchange::client_on_gex_group(ByteView payload)
{
    wire::Reader r(payload, "SSH_MSG_KEX_DH_GEX_GROUP");
    r.get_u8();
    const ByteView p = magnitude(r.get_mpint());
    const ByteView g = magnitude(r.get_mpint());
    r.expect_end();
    m_gex->group.p.assign(p.begin(), p.end());
    m_gex->group.g.assign(g.begin(), g.end());
    m_gex->group.bits = bit_length(p);
    // RFC 4419 §3 / §6: the group must be within the bounds we asked for.
    if (!crypto::acceptable_group(m_gex->group, m_gex->min, m_gex->max)) {
        kex_failed("server sent an unacceptable DH group");
    }
    m_method = crypto::make_group_exchange_kex(m_neg->kex, m_gex->group);
    if (!m_method) {
        kex_failed("unusable DH group");
    }
    client_send_init();
}

Bytes KeyExchange::hash_prefix(ByteView host_key_blob, ByteView client_pub,
                               ByteView server_pub) const
{
    // H = HASH(V_C || V_S || I_C || I_S || K_S || [min || n || max || p || g]
    //          || e/Q_C || f/Q_S || K); K is appended inside crypto/.
    Bytes prefix;
    wire::Writer w(prefix);
    w.put_string(m_server ? m_peer_version : m_our_version);
    w.put_string(m_server ? m_our_version : m_peer_version);
    w.put_string(m_server ? m_peer_kexinit_payload : m_our_kexinit);
    w.put_string(m_server ? m_our_kexinit : m_peer_kexinit_payload);
    w.put_string(host_key_blob);
    if (m_gex) {
        w.put_u32(m_gex->min);
        w.put_u32(m_gex->preferred);
        w.put_u32(m_gex->max);
        w.put_mpint_unsigned(m_gex->group.p);
        w.put_mpint_unsigned(m_gex->group.g);
    }
    put_public(w, client_pub);
    put_public(w, server_pub);
    return prefix;
}

void KeyExchange::server_on_init(uint8_t type, ByteView payload)
{
    wire::Reader r(payload, msg::name(type));
    r.get_u8();
    const ByteView client_pub = get_public(r);
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
    w.put_u8(m_gex ? msg::kex_dh_gex_reply : msg::kex_ecdh_reply);
    w.put_string(blob);
    put_public(w, enc->server_public);
    w.put_string(signature);
    m_outbox.end();
    send_newkeys();
    m_expect = Expect::newkeys;
}

void KeyExchange::client_on_reply(uint8_t type, ByteView payload)
{
    wire::Reader r(payload, msg::name(type));
    r.get_u8();
    const ByteView host_key_blob = r.get_string();
    const ByteView server_pub = get_public(r);
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
    m_expect = Expect::newkeys;
    if (first_kex_done()) {
        // A re-exchange must present the host key the owner already accepted.
        if (!std::equal(host_key_blob.begin(), host_key_blob.end(), m_host_key_blob.begin(),
                        m_host_key_blob.end())) {
            kex_failed("server host key changed during re-exchange");
        }
        send_newkeys();
        return;
    }
    m_host_key_blob.assign(host_key_blob.begin(), host_key_blob.end());
    m_awaiting_verdict = true;
    m_events.on_host_key(HostKeyCheck{m_neg->host_key, host_key_blob});
}

}  // namespace burrow::protocol::transport
