// aes*-ctr with hmac-sha2/hmac-sha1 (classic and encrypt-then-MAC): HMAC
// vectors from RFC 4231 and RFC 2202 through the packet MAC, known answers
// computed independently (Python `cryptography` + `hmac`, following RFC 4344,
// RFC 4253 §6.4 and OpenSSH PROTOCOL §1.5), round trips through the KDF
// factories, tamper detection and the ETM verify-before-decrypt rule.
#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "crypto/ctr_hmac_cipher.h"
#include "crypto/packet_cipher.h"
#include "crypto/packet_cipher_raw.h"
#include "crypto/rng.h"
#include "crypto/secret_impl.h"
#include "crypto/wire_util.h"
#include "tests/unit/crypto/test_util.h"

using burrow::Bytes;
using burrow::ByteView;
using burrow::crypto::test::from_hex;
using burrow::crypto::test::to_hex;
namespace bc = burrow::crypto;

namespace {

const char* const all_ciphers[] = {"aes128-ctr", "aes192-ctr", "aes256-ctr"};
const char* const all_macs[] = {"hmac-sha2-256",
                                "hmac-sha2-512",
                                "hmac-sha1",
                                "hmac-sha2-256-etm@openssh.com",
                                "hmac-sha2-512-etm@openssh.com",
                                "hmac-sha1-etm@openssh.com"};

Bytes ascending(size_t n, uint8_t first)
{
    Bytes out(n);
    for (size_t i = 0; i < n; ++i) {
        out[i] = static_cast<uint8_t>(first + i);
    }
    return out;
}

Bytes text(std::string_view s)
{
    const ByteView b = burrow::as_bytes(s);
    return Bytes(b.begin(), b.end());
}

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

/// Open exactly as PacketDecoder does: decrypt_length() on the first
/// length_header_size() bytes of the receive buffer, then open() on the same
/// buffer. Returns the length, or nullopt if open() fails.
std::optional<uint32_t> open_in_place(bc::OpeningKey& key, uint32_t seqno, Sealed& s)
{
    const uint32_t length = key.decrypt_length(
        seqno, burrow::MutableByteView(s.packet).first(key.length_header_size()));
    if (!key.open(seqno, s.packet, s.tag)) {
        return std::nullopt;
    }
    return length;
}

/// The MAC computes HMAC(key, uint32 seqno || data); a published HMAC vector
/// is driven through it by taking its message's first 4 bytes as the seqno.
std::string packet_mac_hex(const char* mac, ByteView key, ByteView message)
{
    const bc::MacSpec* spec = bc::find_mac(mac);
    REQUIRE(spec != nullptr);
    REQUIRE(message.size() >= 4);
    bc::PacketMac pm(*spec, key);
    const uint32_t seqno = (uint32_t{message[0]} << 24) | (uint32_t{message[1]} << 16) |
                           (uint32_t{message[2]} << 8) | uint32_t{message[3]};
    Bytes tag(pm.size());
    pm.compute(seqno, message.subspan(4, message.size() / 2),
               message.subspan(4 + message.size() / 2), tag.data());
    CHECK(pm.verify(seqno, message.subspan(4), {}, tag));
    tag[0] ^= 1;
    CHECK_FALSE(pm.verify(seqno, message.subspan(4), {}, tag));
    tag[0] ^= 1;
    return to_hex(tag);
}

struct HmacVector {
    Bytes key;
    Bytes data;
    const char* sha256;
    const char* sha512;
    const char* sha1;
};

}  // namespace

TEST_CASE("hmac-sha2 (RFC 4231) and hmac-sha1 (RFC 2202) vectors through the packet MAC",
          "[crypto][mac]")
{
    const std::string long_key_msg = "Test Using Larger Than Block-Size Key - Hash Key First";
    const std::string long_data =
        "This is a test using a larger than block-size key and a larger than block-size data. "
        "The key needs to be hashed before being used by the HMAC algorithm.";
    // RFC 4231 test cases 1, 2, 3, 4, 6, 7 (case 5 is a truncated output, which
    // no SSH MAC uses). The SHA-1 column is RFC 2202's case for the same
    // key/data where one exists (cases 1-4, 6).
    const HmacVector vectors[] = {
        {Bytes(20, 0x0b), text("Hi There"),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
         "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274e"
         "aea3f4e4be9d914eeb61f1702e696c203a126854",
         "b617318655057264e28bc0b6fb378c8ef146be00"},
        {from_hex("4a656665"), from_hex("7768617420646f2079612077616e7420666f72206e6f7468696e673f"),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
         "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65"
         "f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
         "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
        {Bytes(20, 0xaa), Bytes(50, 0xdd),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
         "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a4"
         "7e67c807b946a337bee8942674278859e13292fb",
         "125d7342b9ac11cd91a39af48aa17b4f63f175d3"},
        {ascending(25, 1), Bytes(50, 0xcd),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
         "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275c"
         "c5788063a5f19741120c4f2de2adebeb10a298dd",
         "4c9007f4026250c6bc8414f9bf50c86c2d7235da"},
        {Bytes(131, 0xaa), text(long_key_msg),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
         "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd221"
         "5d6a1e5295e64f73f63f0aec8b915a985d786598",
         nullptr},
        {Bytes(131, 0xaa), text(long_data),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
         "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55"
         "c3e4de15134676fb6de0446065c97440fa8c6a58",
         nullptr},
    };
    for (const auto& v : vectors) {
        INFO("key " << to_hex(v.key));
        CHECK(packet_mac_hex("hmac-sha2-256", v.key, v.data) == v.sha256);
        CHECK(packet_mac_hex("hmac-sha2-512-etm@openssh.com", v.key, v.data) == v.sha512);
        if (v.sha1 != nullptr) {
            CHECK(packet_mac_hex("hmac-sha1", v.key, v.data) == v.sha1);
        }
    }
    // RFC 2202 SHA-1 cases 6 and 7: an 80-byte key.
    const std::string sha1_long =
        "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data";
    CHECK(packet_mac_hex("hmac-sha1-etm@openssh.com", Bytes(80, 0xaa), text(long_key_msg)) ==
          "aa4ae5e15272d00e95705637ce8a3b55ed402112");
    CHECK(packet_mac_hex("hmac-sha1", Bytes(80, 0xaa), text(sha1_long)) ==
          "e8e99d0f45237d786d6bbaa7965c7808bbff1a91");
}

TEST_CASE("aes-ctr + hmac known answers, counter running across packets", "[crypto][cipher]")
{
    struct Packet {
        uint32_t seqno;
        const char* plain;
        const char* sealed;
        const char* tag;
    };
    struct Vector {
        size_t key_size;
        const char* mac;
        Packet packets[2];
    };
    const char* const classic_1 =
        "0000002c08627572726f77206165732d637472207061636b6574206f6e652e"
        "20627572726f7720610102030405060708";
    const char* const classic_2 =
        "0000003c087365636f6e64207061636b65742c20636f756e7465722072756e"
        "73206f6e207365636f6e64207061636b65742c20636f756e740102030405060708";
    const char* const etm_1 =
        "0000003008627572726f77206165732d637472207061636b6574206f6e652e2062"
        "7572726f77206165732d630102030405060708";
    const char* const etm_2 =
        "00000040087365636f6e64207061636b65742c20636f756e7465722072756e73206f"
        "6e207365636f6e64207061636b65742c20636f756e74657220720102030405060708";
    const Vector vectors[] = {
        {16,
         "hmac-sha2-256",
         {{7, classic_1,
           "baff8212ab96d127388b4dc32d3072ea08fcc57a55c0463ea8f798789f77ada9c2442ba815fffe3fd1e4e3e"
           "4"
           "1c05a601",
           "61ffabcae42956fc3b5ec6746f132cce23b12b01c15dd7bb35583a81032e7f4f"},
          {8, classic_2,
           "937b21e3555bf67a6d138e6f85793ea173a39bd6e2427d510410548c678a0394b9eaf3f9ed9f662bfbf478c"
           "c"
           "551663c0fb641f0559ec6806a2987cb7a349bb78",
           "db97e07fd136ecb5362bc256f21db3a5f81ff8f93ec0ed1b966f1c224ae5bada"}}},
        {24,
         "hmac-sha1",
         {{7, classic_1,
           "f6b37d27afd5e639fa48e19e93a9c93533b423889aedd06d2fea2726e743c0fb74ec0da99de95740ebb9021"
           "0"
           "816cff6c",
           "539d3e72bb6290a4d21ff1e9428c21b715705e13"},
          {8, classic_2,
           "175bdf5bed24735c5323773b8363a2f577d6f196af357e3173fc814d316daeec8ef3a2ec868a2d2ac0bb855"
           "d"
           "6b936a352dd68ec5d751b7c22b81918adafb364b",
           "59ab151e2751edc05a3d2412b3305bc780a646fc"}}},
        {32,
         "hmac-sha2-512",
         {{7, classic_1,
           "f5991c95f8287c5c48827e27bb8907fb9c18b71300265e5e812f4416363ad95061f1a2f0b5f8d352ba504f6"
           "4"
           "cd75097f",
           "e0fe02fbab8bbe1ae83a92c7b0bac54e1ae50975b938ec913825a08d3a7b2ff6e80dcceaf6a8b316d0bcfe6"
           "8"
           "edde54f9d52cd4da68a73f8ae0bca31414efa9ce"},
          {8, classic_2,
           "263b49733200c86e599aa53dde319eeac5c4a9e4b377a6bd77eb062d2b66efd3685fb083fc73d41dffc1ff5"
           "1"
           "49a33e6f733898ace3f7a993fdf0ead2d808d535",
           "5d5ce65feeefb612a2b6127f590cc7919ab402a58c1a7d332cb6c8acc4f094b3062944584116840dc93257f"
           "6"
           "f7f6796fbd8d3ac1f9b414791b743d26f32dd693"}}},
        {16,
         "hmac-sha2-256-etm@openssh.com",
         {{7, etm_1,
           "00000030b29df74cd19bd3752b8149ce2f2173e71be9d43140d5053aa3e696379367f1fbcf4679bb1ffbf33"
           "d"
           "d1e4e3e41c05a601",
           "d5bc5b22b5fc4f23943ca96768a89928c2a00d74032495e4b2a6ecc58b33fd56"},
          {8, etm_2,
           "000000409b0844bc3246f739721c8924906c71ea75b8c298f5487a1f020048df359003c7eae0feb6f09e253"
           "4"
           "f4f333d9405928c6e03d511253eb2600a2987cb7a349bb78",
           "487d5c6cfa9da3d169084ef42641771555a61e455e8770c1f355c639dc3f1452"}}},
        {24,
         "hmac-sha1-etm@openssh.com",
         {{7, etm_1,
           "00000030fed10879d5d8e46be942e59391b8c83820a132c38ff8936924fb2969eb539ca979ee5fba97ed5a4"
           "2"
           "ebb90210816cff6c",
           "10f4c9445ab5cbfa6ff828201fea16ab6f570f35"},
          {8, etm_2,
           "000000401f28ba048a39721f4c2c70709676edbe71cda8d8b83f797f75ec9d1e6377aebfddf9afa39b8b6e3"
           "5"
           "cfbcce487edc2133368fc0d2dd56f9c42b81918adafb364b",
           "c0011d2c96c21fa2ae475e80275558f2cf737735"}}},
        {32,
         "hmac-sha2-512-etm@openssh.com",
         {{7, etm_1,
           "00000030fdfb69cb82257e0e5b887a2ab99806f68f0da65815331d5a8a3e4a593a2a85026cf3f0e3bffcde5"
           "0"
           "ba504f64cd75097f",
           "8e8c4cbf90a44b2742904196848c0572f5565defc87da4d6f084ef841c0d0cbbea0efcaf215b802217bb423"
           "b"
           "50edb90a8d4fd1ed47ab8984cbad2771ccdc32b7"},
          {8, etm_2,
           "000000402e482c2c551dc92d4695a276cb24d1a1c3dff0aaa47da1f371fb1a7e797cef803b55bdcce172970"
           "2"
           "f0c6b4445cec75696861d6bbe9f0e795fdf0ead2d808d535",
           "3e40dc0ef0ad9f037b25232a20206ceb99cfc58627aec81793a1c151daa374838bb8e7ee438844f2bcc23ef"
           "2"
           "58088c9c165e91a634c3d2fae49d94283b1c2d09"}}},
    };
    // The low 64 bits of the initial counter are about to wrap: the carry must
    // propagate into the high half (RFC 4344 §4: X is a 128-bit integer).
    const Bytes iv = from_hex("a0a1a2a3a4a5a6a7fffffffffffffffe");
    for (const auto& v : vectors) {
        INFO(v.key_size << " " << v.mac);
        const Bytes key = ascending(v.key_size, 0);
        const Bytes mac_key = ascending(bc::find_mac(v.mac)->size, 0x40);
        auto sealer = bc::make_ctr_hmac_sealing_key(key, iv, v.mac, mac_key);
        auto opener = bc::make_ctr_hmac_opening_key(key, iv, v.mac, mac_key);
        REQUIRE(sealer);
        REQUIRE(opener);
        CHECK(sealer->traits().block_size == 16);
        CHECK(sealer->traits().tag_size == bc::find_mac(v.mac)->size);
        CHECK(sealer->traits().length_excluded_from_alignment == bc::find_mac(v.mac)->etm);
        for (const auto& p : v.packets) {
            Sealed s = seal(*sealer, p.seqno, from_hex(p.plain));
            CHECK(to_hex(s.packet) == p.sealed);
            CHECK(to_hex(s.tag) == p.tag);
            const auto length = open_in_place(*opener, p.seqno, s);
            REQUIRE(length);
            CHECK(*length == s.packet.size() - 4);
            CHECK(to_hex(ByteView(s.packet).subspan(4)) == std::string(p.plain).substr(8));
        }
    }
}

TEST_CASE("aes-ctr + hmac through the KDF factories: known answers", "[crypto][cipher]")
{
    // K = mpint 0102030405060708, H = 32 x 0x11, session id = 32 x 0x22,
    // SHA-256 (RFC 4253 §7.2); a 64-byte MAC key needs the KDF's extension.
    const auto k = bc::shared_secret_from_unsigned(from_hex("0102030405060708"));
    const Bytes h(32, 0x11);
    const Bytes sid(32, 0x22);
    const bc::KeyMaterial km{"SHA-256", &k, h, sid};
    auto etm = bc::make_sealing_key("aes128-ctr", "hmac-sha2-512-etm@openssh.com", km,
                                    bc::Direction::client_to_server);
    REQUIRE(etm);
    Sealed s = seal(*etm, 3,
                    from_hex("0000003008627572726f77206165732d637472207061636b6574206f6e652e2062"
                             "7572726f77206165732d630102030405060708"));
    CHECK(to_hex(s.packet) ==
          "00000030716793ca42938b4ee2f9918d95526c54bf8b96e70535e9513ad8162edfcaf380e55c0f4869740"
          "0bfd26c01c6483f678b");
    CHECK(to_hex(s.tag) ==
          "b6ed4f917f5724f2aba467cfb0bffc1b78a8e544c6e4e6c3a813db0c8b1e352f24efec873f95c35e610a45e"
          "96cfe66dde4fdc4b0d183a09852fc4277d008ff62");

    auto classic =
        bc::make_sealing_key("aes256-ctr", "hmac-sha2-256", km, bc::Direction::server_to_client);
    REQUIRE(classic);
    s = seal(*classic, 3,
             from_hex("0000002c08627572726f77206165732d637472207061636b6574206f6e652e2062757272"
                      "6f7720610102030405060708"));
    CHECK(to_hex(s.packet) ==
          "452216bff2cb44f76836ec5fbfbbec65bbf930aa3edf389d7d8b34e6dd2411c50e70d03d96ccb768f3272"
          "0a683321a21");
    CHECK(to_hex(s.tag) == "3674b1f3299e65875f18eda90a2eba7c5605f57eeaa9364d8634bbef0283a4ea");
}

TEST_CASE("aes-ctr + hmac: every combination round trips through the factories", "[crypto][cipher]")
{
    const auto k = bc::shared_secret_from_unsigned(from_hex("a1b2c3d4e5f6"));
    const Bytes h(32, 0x33);
    const bc::KeyMaterial km{"SHA-256", &k, h, h};
    auto rng = bc::make_seeded_rng(11);
    for (const char* cipher : all_ciphers) {
        CHECK_FALSE(bc::cipher_is_aead(cipher));
        for (const char* mac : all_macs) {
            INFO(cipher << " " << mac);
            const auto dir = bc::Direction::client_to_server;
            auto sealer = bc::make_sealing_key(cipher, mac, km, dir);
            auto opener = bc::make_opening_key(cipher, mac, km, dir);
            auto wrong_dir = bc::make_opening_key(cipher, mac, km, bc::Direction::server_to_client);
            REQUIRE(sealer);
            REQUIRE(opener);
            const bool etm = sealer->traits().length_excluded_from_alignment;
            CHECK(opener->length_header_size() == (etm ? 4U : 16U));
            // Sizes from one block to a large packet; seqnos across the wrap.
            uint32_t seqno = 0xfffffffd;
            for (const size_t blocks : {1U, 2U, 5U, 64U, 2048U}) {
                const size_t length = 16 * blocks - (etm ? 0 : 4);
                Bytes packet(4 + length);
                rng->fill(packet);
                bc::store_u32(packet.data(), static_cast<uint32_t>(length));
                const Bytes plain = packet;
                Sealed s = seal(*sealer, seqno, packet);
                CHECK(ByteView(s.packet).subspan(4).size() == length);
                CHECK(s.packet != plain);
                Sealed copy = s;
                CHECK_FALSE(open_in_place(*wrong_dir, seqno, copy));
                const auto got = open_in_place(*opener, seqno, s);
                REQUIRE(got);
                CHECK(*got == length);
                CHECK(Bytes(s.packet.begin() + 4, s.packet.end()) ==
                      Bytes(plain.begin() + 4, plain.end()));
                ++seqno;
            }
        }
    }
}

TEST_CASE("aes-ctr + hmac: unknown, missing or AEAD-only names give no key", "[crypto][cipher]")
{
    const auto k = bc::shared_secret_from_unsigned(from_hex("01"));
    const Bytes h(32, 1);
    const bc::KeyMaterial km{"SHA-256", &k, h, h};
    const auto dir = bc::Direction::client_to_server;
    CHECK(bc::make_sealing_key("aes128-ctr", "", km, dir) == nullptr);
    CHECK(bc::make_opening_key("aes128-ctr", "", km, dir) == nullptr);
    CHECK(bc::make_sealing_key("aes128-ctr", "hmac-md5", km, dir) == nullptr);
    CHECK(bc::make_opening_key("aes512-ctr", "hmac-sha2-256", km, dir) == nullptr);
    CHECK(bc::make_sealing_key("aes128-cbc", "hmac-sha2-256", km, dir) == nullptr);
    CHECK(bc::cipher_is_aead("chacha20-poly1305@openssh.com"));
    CHECK(bc::cipher_is_aead("aes256-gcm@openssh.com"));
    CHECK_FALSE(bc::cipher_is_aead("aes256-ctr"));
    CHECK_FALSE(bc::cipher_is_aead("nonsense"));
    // AEAD ciphers ignore the MAC name.
    CHECK(bc::make_sealing_key("aes128-gcm@openssh.com", "hmac-sha2-256", km, dir) != nullptr);
    CHECK_THROWS(bc::make_ctr_hmac_sealing_key(Bytes(15), Bytes(16), "hmac-sha1", Bytes(20)));
    CHECK_THROWS(bc::make_ctr_hmac_opening_key(Bytes(16), Bytes(12), "hmac-sha1", Bytes(20)));
}

TEST_CASE("aes-ctr + hmac: every flipped bit of packet or tag is rejected", "[crypto][cipher]")
{
    const Bytes key = ascending(16, 0);
    const Bytes iv = ascending(16, 0x80);
    for (const char* mac : all_macs) {
        INFO(mac);
        const Bytes mac_key = ascending(bc::find_mac(mac)->size, 0x40);
        auto sealer = bc::make_ctr_hmac_sealing_key(key, iv, mac, mac_key);
        const bool etm = sealer->traits().length_excluded_from_alignment;
        Bytes packet(4 + (etm ? 48 : 44), 0x5c);
        bc::store_u32(packet.data(), static_cast<uint32_t>(packet.size() - 4));
        const Sealed sealed = seal(*sealer, 9, packet);
        const size_t total = sealed.packet.size() + sealed.tag.size();
        for (size_t i = 0; i < total; ++i) {
            for (const uint8_t bit : {uint8_t{0x01}, uint8_t{0x80}}) {
                Sealed copy = sealed;
                uint8_t& b =
                    i < copy.packet.size() ? copy.packet[i] : copy.tag[i - copy.packet.size()];
                b ^= bit;
                auto opener = bc::make_ctr_hmac_opening_key(key, iv, mac, mac_key);
                INFO("byte " << i << " bit " << int{bit});
                CHECK_FALSE(open_in_place(*opener, 9, copy));
            }
        }
        // And the untouched packet under the wrong sequence number.
        Sealed copy = sealed;
        CHECK_FALSE(open_in_place(*bc::make_ctr_hmac_opening_key(key, iv, mac, mac_key), 10, copy));
    }
}

TEST_CASE("etm MACs are verified before anything is decrypted", "[crypto][cipher]")
{
    const Bytes key = ascending(32, 3);
    const Bytes iv = ascending(16, 0x90);
    for (const char* mac : {"hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com",
                            "hmac-sha1-etm@openssh.com"}) {
        INFO(mac);
        const Bytes mac_key = ascending(bc::find_mac(mac)->size, 7);
        auto sealer = bc::make_ctr_hmac_sealing_key(key, iv, mac, mac_key);
        auto opener = bc::make_ctr_hmac_opening_key(key, iv, mac, mac_key);
        Bytes packet(4 + 64, 0x21);
        bc::store_u32(packet.data(), 64);
        const Sealed sealed = seal(*sealer, 1, packet);
        // A forgery leaves the buffer exactly as received (not decrypted)...
        Sealed forged = sealed;
        forged.packet[20] ^= 0x10;
        const Bytes received = forged.packet;
        CHECK_FALSE(open_in_place(*opener, 1, forged));
        CHECK(forged.packet == received);
        // ...and consumes no keystream: the genuine packet still opens.
        Sealed genuine = sealed;
        REQUIRE(open_in_place(*opener, 1, genuine));
        CHECK(genuine.packet == packet);
    }
}

TEST_CASE("classic MAC: open() also works without decrypt_length()", "[crypto][cipher]")
{
    const Bytes key = ascending(16, 0);
    const Bytes iv = ascending(16, 0x10);
    const Bytes mac_key = ascending(32, 0x20);
    auto sealer = bc::make_ctr_hmac_sealing_key(key, iv, "hmac-sha2-256", mac_key);
    auto opener = bc::make_ctr_hmac_opening_key(key, iv, "hmac-sha2-256", mac_key);
    Bytes packet(4 + 60, 0x77);
    bc::store_u32(packet.data(), 60);
    for (uint32_t seqno = 0; seqno < 3; ++seqno) {
        Sealed s = seal(*sealer, seqno, packet);
        if (seqno == 1) {
            // decrypt_length() leaves the header as received.
            Bytes header(s.packet.begin(), s.packet.begin() + 16);
            const Bytes before = header;
            CHECK(opener->decrypt_length(seqno, header) == 60);
            CHECK(header == before);
        }
        REQUIRE(opener->open(seqno, s.packet, s.tag));
        CHECK(s.packet == packet);
    }
}
