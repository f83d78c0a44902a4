// Hostile key-exchange input fed to a server core as crafted cleartext
// packets: bad DH values, points off the curve, low-order X25519 points,
// KEXINIT loops and strict-kex violations. Each must end in a DISCONNECT
// with a precise reason.
#include <catch2/catch.hpp>

#include "crypto/keys.h"
#include "crypto/rng.h"
#include "protocol/connection.h"
#include "protocol/messages/kexinit.h"
#include "protocol/messages/numbers.h"
#include "protocol/transport/negotiation.h"
#include "protocol/transport/packet_encoder.h"
#include "protocol/wire/writer.h"

using burrow::Bytes;
using burrow::ByteView;
namespace bp = burrow::protocol;
namespace msg = burrow::protocol::msg;

namespace {

/// RFC 3526 §3: the 2048-bit MODP group (group 14) prime.
const char* const group14_prime_hex =
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404"
    "DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406"
    "B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD"
    "24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E46"
    "2E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D226"
    "1898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF";

Bytes from_hex(const std::string& hex)
{
    Bytes out;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) {
        out.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    return out;
}

/// A server core fed a crafted client byte stream.
class LoneServer : public bp::EventHandler {
public:
    LoneServer()
        : m_rng(burrow::crypto::make_seeded_rng(5)), m_key(burrow::crypto::generate_ed25519(*m_rng))
    {
        bp::Config c;
        c.role = bp::Role::server;
        c.rng = m_rng.get();
        c.host_keys = {m_key.get()};
        // Offer everything so the crafted KEXINIT picks the method under test.
        c.kex_algorithms = {"curve25519-sha256", "ecdh-sha2-nistp256",
                            "diffie-hellman-group14-sha256"};
        m_conn = std::make_unique<bp::Connection>(c, *this);
        m_conn->start(bp::Millis(0));
        m_conn->feed(burrow::as_bytes("SSH-2.0-crafted\r\n"));
    }
    void on_disconnected(const bp::DisconnectInfo& info) override { disconnected = info; }

    void send(const Bytes& payload)
    {
        burrow::protocol::transport::PacketEncoder enc;
        Bytes& out = enc.begin();
        out.insert(out.end(), payload.begin(), payload.end());
        enc.end(*m_rng);
        m_conn->feed(enc.pending());
    }

    std::optional<bp::DisconnectInfo> disconnected;

private:
    std::unique_ptr<burrow::crypto::Rng> m_rng;
    std::unique_ptr<burrow::crypto::PrivateKey> m_key;
    std::unique_ptr<bp::Connection> m_conn;
};

Bytes kexinit(const std::string& kex, bool strict = true)
{
    burrow::protocol::messages::KexInit k;
    k.kex = {kex};
    if (strict) {
        k.kex.push_back(burrow::protocol::transport::strict_kex_client);
    }
    k.host_key = {"ssh-ed25519"};
    k.cipher_c2s = k.cipher_s2c = {"aes128-gcm@openssh.com"};
    k.mac_c2s = k.mac_s2c = {"hmac-sha2-256"};
    k.compression_c2s = k.compression_s2c = {"none"};
    Bytes out;
    k.write(out);
    return out;
}

Bytes kex_init_string(ByteView value)
{
    Bytes out;
    burrow::protocol::wire::Writer w(out);
    w.put_u8(msg::kex_ecdh_init);
    w.put_string(value);
    return out;
}

Bytes kex_init_mpint(ByteView magnitude)
{
    Bytes out;
    burrow::protocol::wire::Writer w(out);
    w.put_u8(msg::kex_ecdh_init);
    w.put_mpint_unsigned(magnitude);
    return out;
}

void require_disconnect(const LoneServer& s, bp::DisconnectReason reason, const std::string& text)
{
    REQUIRE(s.disconnected);
    CHECK_FALSE(s.disconnected->by_peer);
    CHECK(s.disconnected->reason == reason);
    INFO("message: " << s.disconnected->message);
    CHECK(s.disconnected->message.find(text) != std::string::npos);
}

}  // namespace

TEST_CASE("DH public values outside 1 < e < p-1 are rejected", "[hostile][kex]")
{
    const std::string hex = group14_prime_hex;
    const Bytes p = from_hex(hex);
    // p ends in ...68 FFFFFFFFFFFFFFFF: p-1 ends in FE, p+1 in ...69 0000000000000000.
    const Bytes p_minus_1 = from_hex(hex.substr(0, hex.size() - 2) + "FE");
    const Bytes p_plus_1 = from_hex(hex.substr(0, hex.size() - 18) + "690000000000000000");
    const std::vector<std::pair<const char*, Bytes>> values = {
        {"0", {}}, {"1", {1}}, {"p-1", p_minus_1}, {"p", p}, {"p+1", p_plus_1}};
    for (const auto& [name, e] : values) {
        DYNAMIC_SECTION("e = " << name)
        {
            LoneServer s;
            s.send(kexinit("diffie-hellman-group14-sha256"));
            s.send(kex_init_mpint(e));
            require_disconnect(s, bp::DisconnectReason::key_exchange_failed,
                               "invalid client public value");
        }
    }
}

TEST_CASE("an ECDH point not on the curve is rejected", "[hostile][kex]")
{
    Bytes point(65, 0);
    point[0] = 0x04;  // uncompressed, x = 1, y = 1: not on P-256
    point[32] = 1;
    point[64] = 1;
    for (const Bytes& q : {point, Bytes{0x04}, Bytes{0x00}, Bytes(65, 0)}) {
        LoneServer s;
        s.send(kexinit("ecdh-sha2-nistp256"));
        s.send(kex_init_string(q));
        require_disconnect(s, bp::DisconnectReason::key_exchange_failed,
                           "invalid client public value");
    }
}

TEST_CASE("low-order X25519 points are rejected", "[hostile][kex]")
{
    // u = 0 and u = 1 give an all-zero shared secret (RFC 7748 §6.1, RFC 8731 §3).
    Bytes one(32, 0);
    one[0] = 1;
    for (const Bytes& q : {Bytes(32, 0), one, Bytes(31, 9)}) {
        LoneServer s;
        s.send(kexinit("curve25519-sha256"));
        s.send(kex_init_string(q));
        require_disconnect(s, bp::DisconnectReason::key_exchange_failed,
                           "invalid client public value");
    }
}

TEST_CASE("KEXINIT repeated during a key exchange is a protocol error", "[hostile][kex]")
{
    LoneServer s;
    for (int i = 0; i < 100 && !s.disconnected; ++i) {
        s.send(kexinit("curve25519-sha256", false));
    }
    require_disconnect(s, bp::DisconnectReason::protocol_error, "SSH_MSG_KEXINIT");
}

TEST_CASE("strict kex forbids any other message during the first exchange", "[hostile][kex]")
{
    SECTION("IGNORE after KEXINIT")
    {
        LoneServer s;
        s.send(kexinit("curve25519-sha256"));
        s.send(Bytes{msg::ignore, 0, 0, 0, 0});
        require_disconnect(s, bp::DisconnectReason::protocol_error, "SSH_MSG_IGNORE");
    }
    SECTION("IGNORE before KEXINIT")
    {
        LoneServer s;
        s.send(Bytes{msg::ignore, 0, 0, 0, 0});
        s.send(kexinit("curve25519-sha256"));
        require_disconnect(s, bp::DisconnectReason::protocol_error, "strict KEX");
    }
    SECTION("without strict kex, IGNORE during the exchange is fine")
    {
        LoneServer s;
        s.send(kexinit("curve25519-sha256", false));
        s.send(Bytes{msg::ignore, 0, 0, 0, 0});
        CHECK_FALSE(s.disconnected);
    }
}
