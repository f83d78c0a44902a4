// Every supported kex, cipher/MAC and host key type, end to end through the
// in-memory pair; re-keying by volume and by time with data flowing; and
// delayed zlib compression.
#include <catch2/catch.hpp>

#include "crypto/keys.h"
#include "crypto/packet_cipher.h"
#include "crypto/registry.h"
#include "pair.h"

using burrow::Bytes;
using burrow::test::Pair;
namespace bp = burrow::protocol;
namespace crypto = burrow::crypto;

namespace {

Bytes pattern(size_t n, uint8_t salt)
{
    Bytes b(n);
    for (size_t i = 0; i < n; ++i) {
        b[i] = static_cast<uint8_t>((i * 7 + salt) ^ (i >> 9));
    }
    return b;
}

/// Authenticate, open a session, send `up` to the server and `down` back.
void exchange(Pair& p, const Bytes& up, const Bytes& down)
{
    REQUIRE(p.authenticate());
    const auto cid = p.client->open_session();
    REQUIRE(p.pump());
    REQUIRE(p.client_events.open_ok[*cid]);
    p.client->request_exec(*cid, "cat", true);
    REQUIRE(p.pump());
    const auto sid = p.server_events.requests.at(0).id;
    size_t up_off = 0;
    size_t down_off = 0;
    for (int i = 0; i < 200000 && (up_off < up.size() || down_off < down.size()); ++i) {
        up_off += p.client->send_data(*cid, burrow::ByteView(up).subspan(up_off));
        down_off += p.server->send_data(sid, burrow::ByteView(down).subspan(down_off));
        REQUIRE(p.pump());
    }
    CHECK(p.server_events.data[sid] == burrow::to_string(up));
    CHECK(p.client_events.data[*cid] == burrow::to_string(down));
    CHECK_FALSE(p.client_events.disconnected);
    CHECK_FALSE(p.server_events.disconnected);
}

}  // namespace

TEST_CASE("every supported key exchange method works end to end", "[algorithms]")
{
    for (const auto& kex : crypto::supported_kex()) {
        DYNAMIC_SECTION(kex)
        {
            const auto only = [&kex](bp::Config& c) { c.kex_algorithms = {kex}; };
            Pair p(only, only);
            exchange(p, pattern(100000, 1), pattern(100000, 2));
            CHECK(p.client->negotiated_summary().find("kex " + kex + ",") != std::string::npos);
        }
    }
}

TEST_CASE("every supported cipher and MAC works end to end", "[algorithms]")
{
    for (const auto& cipher : crypto::supported_ciphers()) {
        std::vector<std::string> macs = {""};
        if (!crypto::cipher_is_aead(cipher)) {
            macs = crypto::supported_macs();
        }
        for (const auto& mac : macs) {
            DYNAMIC_SECTION(cipher << " " << mac)
            {
                const auto only = [&](bp::Config& c) {
                    c.ciphers = {cipher};
                    if (!mac.empty()) {
                        c.macs = {mac};
                    }
                };
                Pair p(only, only);
                exchange(p, pattern(300000, 3), pattern(300000, 4));
            }
        }
    }
}

TEST_CASE("every host key type and signature algorithm works", "[algorithms]")
{
    for (const auto& type : crypto::supported_key_types()) {
        for (const auto& alg : crypto::signature_algorithms_for(type)) {
            DYNAMIC_SECTION(type << " / " << alg)
            {
                const auto only = [&alg](bp::Config& c) { c.host_key_algorithms = {alg}; };
                Pair p(only, only, type);
                REQUIRE(p.host_key);
                REQUIRE(p.pump());
                CHECK(p.client_events.kex_done == 1);
                CHECK(p.client_events.host_key_checks == 1);
                CHECK(p.client->negotiated_summary().find("host key " + alg) != std::string::npos);
            }
        }
    }
}

TEST_CASE("re-keying by volume keeps data flowing", "[algorithms][rekey]")
{
    for (const bool client_limits : {true, false}) {
        DYNAMIC_SECTION((client_limits ? "client" : "server") << " sets RekeyLimit 64K")
        {
            const auto limit = [](bp::Config& c) { c.rekey_bytes = 64 * 1024; };
            const auto none = [](bp::Config&) {};
            Pair p(
                client_limits ? burrow::test::ConfigEdit(limit) : burrow::test::ConfigEdit(none),
                client_limits ? burrow::test::ConfigEdit(none) : burrow::test::ConfigEdit(limit));
            exchange(p, pattern(2 << 20, 5), pattern(2 << 20, 6));
            // 2 MiB each way at 64 KiB per key: at least 32 re-exchanges.
            CHECK(p.client_events.kex_done >= 32);
            CHECK(p.client_events.kex_done == p.server_events.kex_done);
            // Only the first exchange asks the owner about the host key.
            CHECK(p.client_events.host_key_checks == 1);
        }
    }
}

TEST_CASE("re-keying by time", "[algorithms][rekey]")
{
    const auto hourly = [](bp::Config& c) { c.rekey_interval = std::chrono::hours(1); };
    Pair p(hourly, [](bp::Config& c) { c.rekey_interval = bp::Millis(0); });
    REQUIRE(p.authenticate());
    REQUIRE(p.client->next_deadline());
    CHECK(*p.client->next_deadline() == bp::Millis(std::chrono::hours(1)));
    CHECK_FALSE(p.server->next_deadline());  // authenticated, no time limit
    p.client->on_deadline(bp::Millis(std::chrono::minutes(59)));
    REQUIRE(p.pump());
    CHECK(p.client_events.kex_done == 1);
    p.client->on_deadline(bp::Millis(std::chrono::minutes(61)));
    REQUIRE(p.pump());
    CHECK(p.client_events.kex_done == 2);
    CHECK(p.server_events.kex_done == 2);
    const auto cid = p.client->open_session();
    REQUIRE(p.pump());
    CHECK(p.client_events.open_ok[*cid]);
}

TEST_CASE("zlib@openssh.com compression", "[algorithms][compression]")
{
    const auto zlib = [](bp::Config& c) { c.compression = {"zlib@openssh.com", "none"}; };
    SECTION("both sides want it: data intact and smaller on the wire")
    {
        Pair p(zlib, zlib);
        const Bytes text(1 << 20, 'a');
        exchange(p, text, text);
        CHECK(p.client_transcript.size() < text.size() / 10);
    }
    SECTION("one side only: no compression")
    {
        Pair p(zlib, [](bp::Config&) {});
        const Bytes text(1 << 20, 'a');
        exchange(p, text, {});
        CHECK(p.client_transcript.size() > text.size());
    }
}
