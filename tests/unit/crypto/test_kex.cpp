// Key exchange, shared-secret encoding, exchange hash and KDF.
#include <catch2/catch.hpp>

#include "crypto/kdf.h"
#include "crypto/kex_method.h"
#include "crypto/registry.h"
#include "crypto/secret_impl.h"
#include "tests/unit/crypto/test_util.h"

using burrow::Bytes;
using burrow::crypto::test::from_hex;
using burrow::crypto::test::to_hex;
namespace bc = burrow::crypto;

namespace {

/// An Rng that hands out fixed bytes, so a KexMethod uses a chosen scalar.
class FixedRng final : public bc::Rng {
public:
    explicit FixedRng(Bytes bytes) : m_bytes(std::move(bytes)) {}
    void fill(burrow::MutableByteView out) override
    {
        REQUIRE(out.size() <= m_bytes.size() - m_pos);
        std::copy_n(m_bytes.begin() + static_cast<std::ptrdiff_t>(m_pos), out.size(), out.begin());
        m_pos += out.size();
    }

private:
    Bytes m_bytes;
    size_t m_pos = 0;
};

std::string mpint_hex(const bc::SharedSecret& s)
{
    const auto& m = s.impl().mpint;
    return to_hex({m.data(), m.size()});
}

}  // namespace

// The registry's lists and factories are covered in test_kex_registry.cpp.

TEST_CASE("X25519 RFC 7748 section 6.1 through the KexMethod", "[crypto][kex]")
{
    const Bytes alice_priv =
        from_hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    const Bytes bob_priv =
        from_hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    FixedRng alice_rng(alice_priv);
    FixedRng bob_rng(bob_priv);

    auto client = bc::make_kex("curve25519-sha256");
    auto server = bc::make_kex("curve25519-sha256");
    const Bytes q_c = client->client_keypair(alice_rng);
    CHECK(to_hex(q_c) == "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");

    auto enc = server->server_encapsulate(q_c, bob_rng);
    REQUIRE(enc);
    CHECK(to_hex(enc->server_public) ==
          "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    // K = 4a5d...42 read as an unsigned big-endian integer; top bit clear.
    CHECK(mpint_hex(enc->secret) ==
          "000000204a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");

    auto k = client->client_decapsulate(enc->server_public);
    REQUIRE(k);
    CHECK(mpint_hex(*k) == mpint_hex(enc->secret));
}

TEST_CASE("X25519 RFC 7748 section 5.2 scalar multiplications", "[crypto][kex]")
{
    struct Vector {
        const char* scalar;
        const char* u;
        const char* out;
    };
    const Vector vectors[] = {
        {"a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
         "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
         "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"},
        {"4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
         "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
         "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"},
    };
    for (const auto& v : vectors) {
        FixedRng rng(from_hex(v.scalar));
        auto kex = bc::make_kex("curve25519-sha256@libssh.org");
        kex->client_keypair(rng);
        auto k = kex->client_decapsulate(from_hex(v.u));
        REQUIRE(k);
        // Both outputs have the top bit set: mpint gets a 0x00 prefix (33 bytes).
        CHECK(mpint_hex(*k) == std::string("0000002100") + v.out);
    }
}

TEST_CASE("curve25519 rejects bad public values", "[crypto][kex]")
{
    auto rng = bc::make_seeded_rng(1);
    auto server = bc::make_kex("curve25519-sha256");
    CHECK_FALSE(server->server_encapsulate(Bytes(31, 9), *rng));
    CHECK_FALSE(server->server_encapsulate(Bytes(33, 9), *rng));
    // u = 0 and u = 1 are low-order points: the result is all zero (RFC 8731 §3).
    CHECK_FALSE(server->server_encapsulate(Bytes(32, 0), *rng));
    Bytes one(32, 0);
    one[0] = 1;
    CHECK_FALSE(server->server_encapsulate(one, *rng));

    auto client = bc::make_kex("curve25519-sha256");
    CHECK_FALSE(client->client_decapsulate(Bytes(32, 9)));  // no keypair yet
    client->client_keypair(*rng);
    CHECK_FALSE(client->client_decapsulate(Bytes(32, 0)));
    CHECK_FALSE(client->client_decapsulate(Bytes(16, 9)));
}

TEST_CASE("mpint encoding of K", "[crypto][kex]")
{
    CHECK(mpint_hex(bc::shared_secret_from_unsigned(from_hex("00007f01"))) == "000000027f01");
    CHECK(mpint_hex(bc::shared_secret_from_unsigned(from_hex("0080ff"))) == "000000030080ff");
    CHECK(mpint_hex(bc::shared_secret_from_unsigned(from_hex("000000"))) == "00000000");
}

TEST_CASE("exchange hash, digest and RFC 4253 7.2 KDF known answers", "[crypto][kdf]")
{
    // Expected values computed independently with Python's hashlib.
    const auto k = bc::shared_secret_from_unsigned(
        from_hex("800102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
    const Bytes h = bc::digest("SHA-256", burrow::as_bytes("exchange"));
    const Bytes sid = bc::digest("SHA-256", burrow::as_bytes("session"));
    CHECK(to_hex(h) == "ab27b729d9cc4cb1c00960700446924159e9298d0f952aee3d55408b8e0b1b71");
    CHECK(to_hex(bc::exchange_hash("SHA-256", burrow::as_bytes("prefix"), k)) ==
          "25002f695d6bdad7bbc6f71a540537f62d134a9714d6036e2242d2b2c7fa56e1");

    const bc::KeyMaterial km{"SHA-256", &k, h, sid};
    const auto c64 = bc::derive_key(km, 'C', 64);
    CHECK(to_hex({c64.data(), c64.size()}) ==
          "c9d100a1d0f3de4161e42c6505fcb81c4a6b7dbef7469a986d3b225d7c2e6cf5"
          "36c9d8ad12eef5ece8f3b9f09bec3608b9b2516a76cd87c10d98005af3246945");
    const auto a12 = bc::derive_key(km, 'A', 12);
    CHECK(to_hex({a12.data(), a12.size()}) == "7a81e41d5bceac10d08a6b0f");
    const auto d32 = bc::derive_key(km, 'D', 32);
    CHECK(to_hex({d32.data(), d32.size()}) ==
          "37aab53882e8cf734f7eb805c17819247e2cd201149100fba272d66a6d41da9e");
}

TEST_CASE("seeded rng is deterministic, system rng is not constant", "[crypto][rng]")
{
    Bytes a(64);
    Bytes b(64);
    bc::make_seeded_rng(42)->fill(a);
    bc::make_seeded_rng(42)->fill(b);
    CHECK(a == b);
    bc::make_seeded_rng(43)->fill(b);
    CHECK(a != b);
    auto sys = bc::make_system_rng();
    sys->fill(a);
    sys->fill(b);
    CHECK(a != b);
}
