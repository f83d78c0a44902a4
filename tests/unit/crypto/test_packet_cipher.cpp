// Packet ciphers: known answers (computed independently with OpenSSL through
// Python's `cryptography`, following PROTOCOL.chacha20poly1305 / RFC 5647),
// round trips, tamper detection and the KDF-driven factories.
#include <catch2/catch.hpp>

#include <functional>

#include "crypto/kex_method.h"
#include "crypto/packet_cipher.h"
#include "crypto/packet_cipher_raw.h"
#include "crypto/registry.h"
#include "crypto/secret_impl.h"
#include "tests/unit/crypto/test_util.h"

using burrow::Bytes;
using burrow::crypto::test::from_hex;
using burrow::crypto::test::to_hex;
namespace bc = burrow::crypto;

namespace {

const char* const chacha_packet =
    "0000003c07627572726f772063686163686132302d706f6c7931333035206b6e6f776e20616e73776572"
    "21212121212121212121212121212101020304050607";

Bytes chacha_key()
{
    Bytes key(64);
    for (size_t i = 0; i < key.size(); ++i) {
        key[i] = static_cast<uint8_t>(i);
    }
    return key;
}

const char* const gcm_packet =
    "00000030046165732d67636d207061636b6574207061796c6f616420666f7220627572726f772074657374"
    "732e2e2e2e01020304";
const char* const gcm_iv = "a0a1a2a3a4a5a6a7a8a9aaab";

struct Sealed {
    Bytes packet;
    Bytes tag;
};

Sealed seal(bc::SealingKey& key, uint32_t seqno, Bytes packet)
{
    Sealed s{std::move(packet), Bytes(key.traits().tag_size)};
    key.seal(seqno, s.packet, s.tag);
    return s;
}

/// Open as the packet layer would: length first, then the whole packet.
bool open(bc::OpeningKey& key, uint32_t seqno, Sealed& s, uint32_t expected_length)
{
    Bytes header(s.packet.begin(),
                 s.packet.begin() + static_cast<std::ptrdiff_t>(key.length_header_size()));
    const Bytes before = header;
    if (key.decrypt_length(seqno, header) != expected_length) {
        return false;
    }
    CHECK(header == before);  // the tag covers these bytes: must stay as sent
    return key.open(seqno, s.packet, s.tag);
}

/// Every single-byte corruption of a sealed packet (body or tag) must fail.
void check_tamper(const std::function<std::unique_ptr<bc::OpeningKey>()>& make_opener,
                  const Sealed& sealed, uint32_t seqno)
{
    const size_t total = sealed.packet.size() + sealed.tag.size();
    for (size_t i = 0; i < total; ++i) {
        Sealed copy = sealed;
        uint8_t& b = i < copy.packet.size() ? copy.packet[i] : copy.tag[i - copy.packet.size()];
        b ^= 0x01;
        auto opener = make_opener();
        (void)opener->decrypt_length(seqno, copy.packet);
        INFO("flipped byte " << i);
        CHECK_FALSE(opener->open(seqno, copy.packet, copy.tag));
    }
}

}  // namespace

TEST_CASE("chacha20-poly1305@openssh.com known answers", "[crypto][cipher]")
{
    struct Vector {
        uint32_t seqno;
        const char* ciphertext;
        const char* tag;
    };
    const Vector vectors[] = {
        {0,
         "94450e651fda3743df89d1f170093d02c7227c17d5c19c99989c686cd9d8977c45421b7c13667b1ab49c1d7c"
         "bca07905452f211dba81d77fff5c5bcd092f4c78",
         "77d970dec5a45e498b01a687e77f06d7"},
        {7,
         "a39afc962f2460313cec5d7e0f05da93bfeee11c19c25f5a07d20eb3754a70b1ef246d74c53982d27010d598"
         "8df3470f32132a56568db1febe224af07ee120bd",
         "0ea29920f7c6b3659c4355f85541c9c0"},
        {0xfffffffe,
         "69a614f4301829eeac4bfb1b8195258d1678053fb861f7412860bc61dd665d0ce677159485bba62814286351"
         "0df2e247fec4ba7d2bba6fd43e0e1288b44789a5",
         "f178bc0f3c457239146a4eef370e0956"},
    };
    auto sealer = bc::make_chacha_poly_sealing_key(chacha_key());
    auto opener = bc::make_chacha_poly_opening_key(chacha_key());
    CHECK(sealer->traits().block_size == 8);
    CHECK(sealer->traits().tag_size == 16);
    CHECK(sealer->traits().length_excluded_from_alignment);
    for (const auto& v : vectors) {
        Sealed s = seal(*sealer, v.seqno, from_hex(chacha_packet));
        CHECK(to_hex(s.packet) == v.ciphertext);
        CHECK(to_hex(s.tag) == v.tag);
        REQUIRE(open(*opener, v.seqno, s, 60));
        CHECK(to_hex(Bytes(s.packet.begin() + 4, s.packet.end())) ==
              std::string(chacha_packet).substr(8));
    }
}

TEST_CASE("chacha20-poly1305: wrong seqno and tampering are rejected", "[crypto][cipher]")
{
    auto sealer = bc::make_chacha_poly_sealing_key(chacha_key());
    const Sealed sealed = seal(*sealer, 5, from_hex(chacha_packet));
    {
        Sealed copy = sealed;
        CHECK_FALSE(bc::make_chacha_poly_opening_key(chacha_key())->open(6, copy.packet, copy.tag));
    }
    check_tamper([] { return bc::make_chacha_poly_opening_key(chacha_key()); }, sealed, 5);
}

TEST_CASE("aes-gcm@openssh.com known answers with IV increment", "[crypto][cipher]")
{
    struct Vector {
        const char* key;
        const char* ct[2];
        const char* tag[2];
    };
    const Vector vectors[] = {
        {"404142434445464748494a4b4c4d4e4f",
         {"12091941ff31e6bf3bea9595bcafe161523b43a97324e5b0706712cf8802992dcd5ef9c3824d5f23476c11dd"
          "f165671c",
          "b52cd0cbb187ffd2f4a8e1bdb8c90eb46206141ac56d376dae66bc283fe063a95a6c7b57da36421c6a4f8a35"
          "61bda28a"},
         {"8b2c7e5e457853ded4c3b70227980389", "2f17efec98a8ca83d7708f17f2b21ebe"}},
        {"404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f",
         {"d3ee634ccf8cff40591f209de2d944d69f768cab830ee10d84b39cba8bb70c8a35e05237a52350d2c67486b0"
          "5fee24cd",
          "8dc27db1e9150047d673ac9314370fc42418ac3287fc400970fd953aba040cca914ef6efd02c0c7f281a41cc"
          "3798319a"},
         {"0d4e2195270244706930af7b51b3f82c", "2474a4f789fa5d6e51b34152c731debc"}},
    };
    for (const auto& v : vectors) {
        auto sealer = bc::make_aes_gcm_sealing_key(from_hex(v.key), from_hex(gcm_iv));
        auto opener = bc::make_aes_gcm_opening_key(from_hex(v.key), from_hex(gcm_iv));
        CHECK(sealer->traits().block_size == 16);
        CHECK(sealer->traits().tag_size == 16);
        for (size_t i = 0; i < 2; ++i) {
            Sealed s = seal(*sealer, static_cast<uint32_t>(i), from_hex(gcm_packet));
            // RFC 5647 §7.3: the length stays in clear.
            CHECK(to_hex(s.packet) == std::string("00000030") + v.ct[i]);
            CHECK(to_hex(s.tag) == v.tag[i]);
            REQUIRE(open(*opener, static_cast<uint32_t>(i), s, 48));
            CHECK(to_hex(s.packet) == gcm_packet);
        }
    }
}

TEST_CASE("aes-gcm: tampering, misalignment and replay are rejected", "[crypto][cipher]")
{
    const Bytes key = from_hex("404142434445464748494a4b4c4d4e4f");
    auto sealer = bc::make_aes_gcm_sealing_key(key, from_hex(gcm_iv));
    const Sealed sealed = seal(*sealer, 0, from_hex(gcm_packet));
    check_tamper([&] { return bc::make_aes_gcm_opening_key(key, from_hex(gcm_iv)); }, sealed, 0);

    // The same packet again is out of step with the invocation counter.
    auto opener = bc::make_aes_gcm_opening_key(key, from_hex(gcm_iv));
    Sealed first = sealed;
    REQUIRE(opener->open(0, first.packet, first.tag));
    Sealed replay = sealed;
    CHECK_FALSE(opener->open(1, replay.packet, replay.tag));

    Bytes odd(4 + 17);
    Bytes tag(16);
    CHECK_FALSE(bc::make_aes_gcm_opening_key(key, from_hex(gcm_iv))->open(0, odd, tag));
    CHECK_THROWS(sealer->seal(1, odd, tag));
}

TEST_CASE("null cipher passes bytes through", "[crypto][cipher]")
{
    auto sealer = bc::make_null_sealing_key();
    auto opener = bc::make_null_opening_key();
    CHECK(sealer->traits().block_size == 8);
    CHECK(sealer->traits().tag_size == 0);
    CHECK_FALSE(sealer->traits().length_excluded_from_alignment);
    Sealed s = seal(*sealer, 3, from_hex(chacha_packet));
    CHECK(to_hex(s.packet) == chacha_packet);
    CHECK(opener->decrypt_length(3, s.packet) == 60);
    CHECK(opener->open(3, s.packet, s.tag));
}

TEST_CASE("factories derive keys per direction and round trip", "[crypto][cipher]")
{
    const auto k = bc::shared_secret_from_unsigned(from_hex("0102030405060708"));
    const Bytes h(32, 0x11);
    const Bytes sid(32, 0x22);
    const bc::KeyMaterial km{"SHA-256", &k, h, sid};
    auto rng = bc::make_seeded_rng(7);
    for (const auto& name : bc::supported_aead_ciphers()) {
        INFO(name);
        CHECK(bc::cipher_is_aead(name));
        auto c2s_seal = bc::make_sealing_key(name, "", km, bc::Direction::client_to_server);
        auto c2s_open = bc::make_opening_key(name, "", km, bc::Direction::client_to_server);
        auto s2c_open = bc::make_opening_key(name, "", km, bc::Direction::server_to_client);
        REQUIRE(c2s_seal);
        const size_t block = c2s_seal->traits().block_size;
        for (uint32_t seq = 0; seq < 3; ++seq) {
            Bytes packet(4 + 3 * block);
            rng->fill(packet);
            packet[0] = packet[1] = 0;
            packet[2] = 0;
            packet[3] = static_cast<uint8_t>(3 * block);
            const Bytes plain = packet;
            Sealed s = seal(*c2s_seal, seq, packet);
            CHECK(s.packet != plain);
            Sealed wrong_dir = s;
            CHECK_FALSE(s2c_open->open(seq, wrong_dir.packet, wrong_dir.tag));
            REQUIRE(open(*c2s_open, seq, s, static_cast<uint32_t>(3 * block)));
            CHECK(Bytes(s.packet.begin() + 4, s.packet.end()) ==
                  Bytes(plain.begin() + 4, plain.end()));
        }
    }
    // Non-AEAD ciphers need a MAC: see test_ctr_hmac.cpp.
    CHECK_FALSE(bc::cipher_is_aead("aes128-ctr"));
    CHECK(bc::make_sealing_key("aes128-ctr", "", km, bc::Direction::client_to_server) == nullptr);
}

TEST_CASE("large packets round trip for every cipher", "[crypto][cipher]")
{
    const auto k = bc::shared_secret_from_unsigned(from_hex("ff"));
    const Bytes h(32, 1);
    const bc::KeyMaterial km{"SHA-256", &k, h, h};
    auto rng = bc::make_seeded_rng(9);
    for (const auto& name : bc::supported_aead_ciphers()) {
        auto sealer = bc::make_sealing_key(name, "", km, bc::Direction::server_to_client);
        auto opener = bc::make_opening_key(name, "", km, bc::Direction::server_to_client);
        Bytes packet(4 + 35000 - 35000 % 16);
        rng->fill(packet);
        const Bytes plain = packet;
        Sealed s = seal(*sealer, 100, packet);
        REQUIRE(opener->open(100, s.packet, s.tag));
        CHECK(Bytes(s.packet.begin() + 4, s.packet.end()) == Bytes(plain.begin() + 4, plain.end()));
    }
}

TEST_CASE("large-packet known answers (bulk paths)", "[crypto][cipher]")
{
    // SHA-256 of ciphertext || tag, computed independently with OpenSSL (Python
    // `cryptography`); the packets are long enough to take every bulk path.
    auto make_packet = [](uint32_t n) {
        Bytes p(4 + size_t{n});
        p[0] = static_cast<uint8_t>(n >> 24);
        p[1] = static_cast<uint8_t>(n >> 16);
        p[2] = static_cast<uint8_t>(n >> 8);
        p[3] = static_cast<uint8_t>(n);
        for (size_t i = 0; i < n; ++i) {
            p[4 + i] = static_cast<uint8_t>(i * 7 + 3);
        }
        return p;
    };
    auto sealed_digest = [](const Sealed& s) {
        Bytes all = s.packet;
        all.insert(all.end(), s.tag.begin(), s.tag.end());
        return to_hex(bc::digest("SHA-256", all));
    };

    auto chacha = bc::make_chacha_poly_sealing_key(chacha_key());
    CHECK(sealed_digest(seal(*chacha, 3, make_packet(35000))) ==
          "4c3fe2bfc71e2fdd046c344022707ae55cd29240c23c59f9fa933d6485f956b6");

    auto gcm128 = bc::make_aes_gcm_sealing_key(from_hex("404142434445464748494a4b4c4d4e4f"),
                                               from_hex(gcm_iv));
    CHECK(sealed_digest(seal(*gcm128, 0, make_packet(35024))) ==
          "7e74ae7242e1e3217dcd42079e16a13ce7d5884e863ae18f1188133f4197d2f1");

    auto gcm256 = bc::make_aes_gcm_sealing_key(
        from_hex("404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"),
        from_hex(gcm_iv));
    CHECK(sealed_digest(seal(*gcm256, 0, make_packet(35024))) ==
          "2f2d25d8665f72b4d0d943fe2f558f936dcfd3431a0f2edfcabc6649376e9a38");
}
