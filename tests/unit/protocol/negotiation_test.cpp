// KEXINIT negotiation table (RFC 4253 §7.1): first client algorithm the
// server supports, per category; guesses; strict kex; AEAD and MACs.
#include <catch2/catch.hpp>

#include "protocol/error.h"
#include "protocol/transport/negotiation.h"

using burrow::protocol::DisconnectReason;
using burrow::protocol::ProtocolError;
using burrow::protocol::messages::KexInit;
namespace t = burrow::protocol::transport;

namespace {

KexInit offer(std::vector<std::string> kex, std::vector<std::string> hostkey,
              std::vector<std::string> cipher, std::vector<std::string> mac = {"hmac-sha2-256"})
{
    KexInit k;
    k.kex = std::move(kex);
    k.host_key = std::move(hostkey);
    k.cipher_c2s = k.cipher_s2c = std::move(cipher);
    k.mac_c2s = k.mac_s2c = std::move(mac);
    k.compression_c2s = k.compression_s2c = {"none"};
    return k;
}

}  // namespace

TEST_CASE("the first client algorithm the server also supports wins", "[negotiation]")
{
    struct Row {
        std::vector<std::string> client, server;
        std::string expected;
    };
    const std::vector<Row> table = {
        {{"a", "b", "c"}, {"c", "b", "a"}, "a"},
        {{"x", "b", "c"}, {"c", "b"}, "b"},
        {{"c"}, {"a", "b", "c"}, "c"},
    };
    for (const auto& row : table) {
        CHECK(t::choose(row.client, row.server) == row.expected);
        const auto n = t::negotiate(offer(row.client, {"ssh-ed25519"}, {"aes128-ctr"}),
                                    offer(row.server, {"ssh-ed25519"}, {"aes128-ctr"}), true, true);
        CHECK(n.kex == row.expected);
    }
    CHECK_FALSE(t::choose({"a"}, {"b"}));
}

TEST_CASE("each category is negotiated on its own, per direction", "[negotiation]")
{
    KexInit client = offer({"k1"}, {"h1", "h2"}, {"aes256-ctr", "aes128-ctr"});
    client.cipher_s2c = {"aes128-ctr", "aes256-ctr"};
    client.mac_s2c = {"hmac-sha2-512", "hmac-sha2-256"};
    const KexInit server =
        offer({"k1"}, {"h2"}, {"aes128-ctr", "aes256-ctr"}, {"hmac-sha2-256", "hmac-sha2-512"});
    const auto n = t::negotiate(client, server, false, true);
    CHECK(n.host_key == "h2");
    CHECK(n.cipher_c2s == "aes256-ctr");
    CHECK(n.cipher_s2c == "aes128-ctr");
    CHECK(n.mac_c2s == "hmac-sha2-256");
    CHECK(n.mac_s2c == "hmac-sha2-512");
    CHECK(n.compression_c2s == "none");
}

TEST_CASE("AEAD ciphers need no MAC in common", "[negotiation]")
{
    const auto n =
        t::negotiate(offer({"k"}, {"h"}, {"aes128-gcm@openssh.com"}, {"m1"}),
                     offer({"k"}, {"h"}, {"aes128-gcm@openssh.com"}, {"m2"}), true, true);
    CHECK(n.mac_c2s.empty());
    CHECK_THROWS_AS(t::negotiate(offer({"k"}, {"h"}, {"aes128-ctr"}, {"m1"}),
                                 offer({"k"}, {"h"}, {"aes128-ctr"}, {"m2"}), true, true),
                    ProtocolError);
}

TEST_CASE("no common algorithm fails the key exchange naming the category", "[negotiation]")
{
    try {
        t::negotiate(offer({"k"}, {"h"}, {"c1"}), offer({"k"}, {"h"}, {"c2"}), true, true);
        FAIL("negotiated without a common cipher");
    } catch (const ProtocolError& e) {
        CHECK(e.reason() == DisconnectReason::key_exchange_failed);
        CHECK(std::string(e.what()).find("cipher") != std::string::npos);
    }
}

TEST_CASE("strict kex and ext-info markers are signals, not methods", "[negotiation]")
{
    const auto n =
        t::negotiate(offer({t::strict_kex_client, t::ext_info_client, "k"}, {"h"}, {"c"}, {"m"}),
                     offer({t::strict_kex_server, "k"}, {"h"}, {"c"}, {"m"}), true, true);
    CHECK(n.kex == "k");
    CHECK(n.strict_kex);
    CHECK(n.peer_wants_ext_info);
    // Only the first key exchange can turn them on.
    const auto later =
        t::negotiate(offer({t::strict_kex_client, "k"}, {"h"}, {"c"}, {"m"}),
                     offer({t::strict_kex_server, "k"}, {"h"}, {"c"}, {"m"}), true, false);
    CHECK_FALSE(later.strict_kex);
    CHECK_THROWS_AS(t::negotiate(offer({t::strict_kex_client}, {"h"}, {"c"}, {"m"}),
                                 offer({t::strict_kex_server}, {"h"}, {"c"}, {"m"}), true, true),
                    ProtocolError);
}

TEST_CASE("a wrong first-kex guess is marked for discarding", "[negotiation]")
{
    KexInit client = offer({"k1", "k2"}, {"h1"}, {"c"}, {"m"});
    client.first_kex_packet_follows = true;
    // Server prefers k2 only: the client's guess (k1) is wrong.
    const auto wrong = t::negotiate(client, offer({"k2"}, {"h1"}, {"c"}, {"m"}), true, true);
    CHECK(wrong.kex == "k2");
    CHECK(wrong.ignore_guessed_packet);
    const auto right = t::negotiate(client, offer({"k2", "k1"}, {"h1"}, {"c"}, {"m"}), true, true);
    CHECK(right.kex == "k1");
    CHECK_FALSE(right.ignore_guessed_packet);
    // A wrong host key guess also makes the guess wrong.
    KexInit client2 = offer({"k1"}, {"h1", "h2"}, {"c"}, {"m"});
    client2.first_kex_packet_follows = true;
    CHECK(t::negotiate(client2, offer({"k1"}, {"h2"}, {"c"}, {"m"}), true, true)
              .ignore_guessed_packet);
}
