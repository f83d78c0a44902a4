// ECDH (RFC 5656) and finite-field DH (RFC 4253 §8, RFC 8268) key exchange:
// agreement, known answers independent of our code, and rejection of
// invalid peer values.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "crypto/dh_group_exchange.h"
#include "crypto/kex_method.h"
#include "crypto/registry.h"
#include "tests/unit/crypto/test_util.h"

using burrow::Bytes;
using burrow::crypto::test::from_hex;
using burrow::crypto::test::to_hex;
namespace bc = burrow::crypto;

namespace {

/// An Rng that hands out exactly the given bytes (a chosen private key).
class ScriptedRng final : public bc::Rng {
public:
    explicit ScriptedRng(Bytes bytes) : m_bytes(std::move(bytes)) {}
    void fill(burrow::MutableByteView out) override
    {
        REQUIRE(out.size() <= m_bytes.size() - m_pos);
        std::copy_n(m_bytes.begin() + static_cast<std::ptrdiff_t>(m_pos), out.size(), out.begin());
        m_pos += out.size();
    }
    bool used_up() const { return m_pos == m_bytes.size(); }

private:
    Bytes m_bytes;
    size_t m_pos = 0;
};

const Bytes kat_prefix = [] {
    const std::string s = "burrow kex known answer";
    return Bytes(s.begin(), s.end());
}();

std::string sha256_hex(burrow::ByteView data)
{
    return to_hex(bc::digest("SHA-256", data));
}

/// Big-endian magnitude plus a small signed delta (p-1, p+1...).
Bytes add_small(Bytes v, int delta)
{
    while (delta > 0) {
        for (size_t i = v.size(); i-- > 0;) {
            if (++v[i] != 0) {
                break;
            }
        }
        --delta;
    }
    while (delta < 0) {
        for (size_t i = v.size(); i-- > 0;) {
            if (v[i]-- != 0) {
                break;
            }
        }
        ++delta;
    }
    return v;
}

struct KnownAnswer {
    const char* method;
    const char* client_private;
    const char* server_private;
    const char* client_public_sha256;
    const char* server_public_sha256;
    const char* exchange_hash;
};

// Computed with Python's `cryptography` (OpenSSL) for ECDH and with Python
// integers (pow) over OpenSSL's RFC 3526 groups for DH. The private values
// are what our Rng hands out: the ECDH scalar (below the order), the DH
// exponent (512 bits, top bit set). H = HASH(prefix || mpint K).
const KnownAnswer known_answers[] = {
    {"ecdh-sha2-nistp256", "6894d3fa15064e2f42ec323031dd65ae1d17392cbc69a7a13e37cb9ea55d4421",
     "05d1300f5b13d76bd42c63668bc0d3cec158adfa34029a99e02386de4c900202",
     "f05503db3e9e5df758ef622b057ee0566fded5a0cb1c4dfbbdf2d0ae53391091",
     "07e6c1fd6aa5a53bc27bae02781ddb7e82be66ed5654097eef503141b0ffbd8f",
     "158ce435998813613a839117a3ae4e797de1b17cd1803ad0b51c537a54ac98b1"},
    {"ecdh-sha2-nistp384",
     "6060b717a19448420db2b7d30e553581e293ffec926cb331ae27cfcf51bc58ffc37dd88b535efd1c55b0e4396b64a"
     "185",
     "7d0af06bd2b866de5de7a4c8fcd77f595ba451fb41890149fc977b7d6299acc5773f5aa0324e5bedf018570f6f52e"
     "597",
     "7ca89e4667fd4408c498aa6f8f94182a6d08fa4980b534c9d8e9260188d443e3",
     "a47685d6a6e2a36e8052619a7293514342577f2fe7daf4911a7e3e37a910cd70",
     "12293258a5468f5842d8e9c0f25debbb816b24b4781493c38ed02bfb3aebe521121076e34ce7e7f3aadd3f069a107"
     "803"},
    {"ecdh-sha2-nistp521",
     "00e3af0cfe1fbec88b985f2eb444da65cc9538a3050eb3773ba21261058220921e379c95cf3c66edcf410ba98cc9d"
     "218"
     "ed73bec531d12b3070f41f880c21e6bb1270",
     "001f8ded69e876d39a41d8e3db0977b9e9d25fbdd0b3797ad7b72dbcf1b8b4dce7022086bc06646fa225464549a8b"
     "020"
     "a511ea3a6f190c0e938e818d7e9b24ad8f48",
     "203453fc43448c87989c2bcae0ed11557c596b25bad275ed1623f6ec8f6d8e9f",
     "c498f74b684351cfa89222b7bb24abd6ac4c1e3f4f825cd81c7dffcfc22409e2",
     "00808031a97c136936437ca69fd0de4d29f4f057219f0c22e9fa769d947ee8cdfb49429628e2f296a2fee183b4f1e"
     "d30"
     "28d866238bca4c5cfacf455aed7288db"},
    {"diffie-hellman-group14-sha256",
     "ae3b3912908abbb1709f708a808dd691d341150fdae887c3eeed00222dd206882e3d31157f8a82525714578718a73"
     "516"
     "5d5f98b15bcb590b3056130639839950",
     "f05fdc38bc17cfc1b4ca6ecaadffbd357ea3ce641d3d42306f95bbeb3f040f1358f91c993f390b8e34eeccd0fe5bc"
     "a71"
     "4e377f0256caa55be22b51e90078b7b0",
     "999a135376a5efd6b0c7611cc041f8b3f0a6b91b8d8243623e89119d207d5f19",
     "7d11a978230d374c0311c94ba881fcb4b72ace424e3ac157f06305addd4a3bbf",
     "20c5b3832d68664a3ebdb4fb7909257ea547041d62c1edf66ae24b7f8bcadbbf"},
    {"diffie-hellman-group16-sha512",
     "91062a18b9d833fb5ce534403bcfbadfb9c8bd811ddd3a455eb0080e3dfb439284ce1c05f263dd1811da0fbe24beb"
     "3b5"
     "44d2db6ed3af2f4f9254c8a9730a761a",
     "99fd4608bded5ff65907469e023469bc967db11d66fe5262c4a67b55375dc65f31ae4eadfeae5e48060880cbedcbc"
     "7c0"
     "bbb8f35e45c3321a9fc6b5479e340e4c",
     "1700af31a7d9462085eb54adf3114a8b64f7e50e8c341c852e7c9a1a77f124fa",
     "a235d3f346d74d74e65da920bf1a6eb52e2b72deada477aa82c44da475dc9e9b",
     "1fec26787135e501247e5c9e62c99a3ff87930aa604a247ee5f199e3d9a6ed6066862c26bac9391140f736f3b7782"
     "cc2"
     "3dc3f3ae4758fd18a902007f08d9fef3"},
    {"diffie-hellman-group18-sha512",
     "822bad6e7a4edd8cb8e5a1f625cb07a691d0df591a27e3bb484f4ef679b50ac69345eec12917d10088a1831009b70"
     "75b"
     "5a0a8626b1b914917085af3e7bb5d3b8",
     "9de8d5c921a6ed38aea6e327f237c05ce060468627c806b13028d3d1ed9b86b04acdbbf445aa1abbdf68b2d54ef88"
     "e74"
     "b6050ea6a8e0aca496b99b9d8f0e1923",
     "1c37390c1190e238a6e55f7b6234fa88d0933f1ffb6b302eb2683f9bbd312c29",
     "a14cc4f2badfeef079d1ffbca25e0cdf8d033684aed679f47abbe8dc08b5c643",
     "590b84235236a12e6def5181c2563829afb6e79459d1461fdc600e06c0ddf5ac8eec5e91789ef2379361c1b40591f"
     "4d1"
     "54e97047519e35e9bc7f1847f8bba9db"},
    {"diffie-hellman-group14-sha1",
     "97533ad7c8c7d1c4627adbb3b2206b48791f74db45e5aa01772b6237591147a8db9ac2cf2ea6044a150452846df12"
     "f1e"
     "fe331322e0b06f8350de21fe26910537",
     "dddd3c46922917442e8fc9cbed3f8d7eec174c8aa9c3ed9b18b4d21dff42826ec490bbd726dadd5b75da154cd1eb9"
     "cb8"
     "75f681aff1e157e19aa0bf06078a2974",
     "c50e87166cccb012f472c90f90f58ef95b48abfe2dc4593a0bb634c44dc1a42a",
     "8c5bf0ac3dc02e9a97d8fa807e6e2e1a80104f6bbd4d842b840ee9083a2f7c14",
     "15aaab3260a0519d077eae7b4c37be6e09c7b164"},
};

/// The RFC 3526 2048-bit group (group14) as our code has it; its SHA-256 was
/// computed from OpenSSL's modp_2048 parameters.
Bytes group14_prime()
{
    const auto& groups = bc::builtin_groups();
    const auto it = std::find_if(groups.begin(), groups.end(), [](const bc::DhGroup& g) {
        return sha256_hex(g.p) ==
               "d66436f79bbd6b2e38c0ffbd079be904d2641415e2e67140e09448be9a60890e";
    });
    REQUIRE(it != groups.end());
    return it->p;
}

}  // namespace

TEST_CASE("ECDH and DH kex known answers (OpenSSL via Python)", "[crypto][kex]")
{
    for (const auto& kat : known_answers) {
        CAPTURE(kat.method);
        auto client = bc::make_kex(kat.method);
        auto server = bc::make_kex(kat.method);
        REQUIRE(client);
        REQUIRE(server);
        ScriptedRng client_rng(from_hex(kat.client_private));
        ScriptedRng server_rng(from_hex(kat.server_private));

        const Bytes q_c = client->client_keypair(client_rng);
        CHECK(client_rng.used_up());
        CHECK(sha256_hex(q_c) == kat.client_public_sha256);

        auto enc = server->server_encapsulate(q_c, server_rng);
        REQUIRE(enc);
        CHECK(server_rng.used_up());
        CHECK(sha256_hex(enc->server_public) == kat.server_public_sha256);
        const std::string hash(server->hash_name());
        CHECK(to_hex(bc::exchange_hash(hash, kat_prefix, enc->secret)) == kat.exchange_hash);

        auto k = client->client_decapsulate(enc->server_public);
        REQUIRE(k);
        CHECK(to_hex(bc::exchange_hash(hash, kat_prefix, *k)) == kat.exchange_hash);
    }
}

TEST_CASE("every fixed kex: seeded client and server agree, pinned exchange hash", "[crypto][kex]")
{
    // Pinned from our own code: any change in how a method draws randomness
    // or encodes K shows up here (protocol transcripts depend on it).
    const std::pair<const char*, const char*> pinned[] = {
        {"curve25519-sha256", "cf5bf3b8976bc448365ef23f951d5b0a6e71eb850948b7125174737f20000900"},
        {"curve25519-sha256@libssh.org",
         "cf5bf3b8976bc448365ef23f951d5b0a6e71eb850948b7125174737f20000900"},
        {"ecdh-sha2-nistp256", "a710e0b5daa57c9d1d7814a715b9671677f9e5bd26b13f5976a4c39a4530ce37"},
        {"ecdh-sha2-nistp384",
         "064319e26e1585a5660b9001ec0e9b66ab43064460d58542b2ca9b16146ac223"
         "9d1b6d4b12aecaac9788553e50b46e8d"},
        {"ecdh-sha2-nistp521",
         "61f67717d8df32e01141bc1d3148a606492408de0738947e9aa306c9d97cc462"
         "505f1a43b6705cd51f7e5fd4c6db0b20539e707c88511a40be637d9b8c1c1ada"},
        {"diffie-hellman-group16-sha512",
         "c7ea1164e7c74d0de6da22496743106b6ae6c6b54abe12abd3528493d5ac19c7"
         "70d862dfb35522cb6ba91e119da9309902571a05696bd4ba8ef3fea8c0930c50"},
        {"diffie-hellman-group18-sha512",
         "d5d09683491e3a63d8213280eba3f60d5b1cefa9c61784d453701a16e6368aaf"
         "bf8e3726a6689512668760a3bbaeb480211463408f6bb1c946214236cab45a08"},
        {"diffie-hellman-group14-sha256",
         "38866475b1055b2d7284d637cb1f80e61c62b596b5c324733aa3ce8e62c63496"},
        {"diffie-hellman-group14-sha1", "b4e551a70df8183ab95d507c486e21ffab693805"},
    };
    for (const auto& [method, expected] : pinned) {
        CAPTURE(method);
        auto client = bc::make_kex(method);
        auto server = bc::make_kex(method);
        REQUIRE(client);
        REQUIRE(server);
        CHECK(client->name() == method);
        CHECK(client->hash_name() == bc::kex_hash_name(method));
        const auto client_rng = bc::make_seeded_rng(1);
        const auto server_rng = bc::make_seeded_rng(2);
        auto enc = server->server_encapsulate(client->client_keypair(*client_rng), *server_rng);
        REQUIRE(enc);
        auto k = client->client_decapsulate(enc->server_public);
        REQUIRE(k);
        const std::string hash(client->hash_name());
        const std::string h_server = to_hex(bc::exchange_hash(hash, kat_prefix, enc->secret));
        CHECK(to_hex(bc::exchange_hash(hash, kat_prefix, *k)) == h_server);
        CHECK(h_server == expected);
    }
}

TEST_CASE("public encodings", "[crypto][kex]")
{
    for (const auto& name : bc::supported_kex()) {
        auto kex = bc::make_kex(name);
        if (!kex) {
            CHECK(bc::is_group_exchange(name));
            continue;
        }
        const bool dh = name.rfind("diffie-hellman-", 0) == 0;
        CHECK(kex->public_encoding() ==
              (dh ? bc::PublicEncoding::mpint : bc::PublicEncoding::string));
    }
}

TEST_CASE("DH rejects peer values outside 1 < e < p-1", "[crypto][kex]")
{
    const Bytes p = group14_prime();
    const Bytes bad[] = {
        Bytes{},          Bytes{0x00}, Bytes{0x01},     Bytes{0x00, 0x01},
        add_small(p, -1), p,           add_small(p, 1), Bytes(p.size() + 1, 0xff),
    };
    for (const char* method : {"diffie-hellman-group14-sha256", "diffie-hellman-group14-sha1"}) {
        CAPTURE(method);
        const auto rng = bc::make_seeded_rng(7);
        auto client = bc::make_kex(method);
        client->client_keypair(*rng);
        for (const auto& value : bad) {
            CAPTURE(value.size());
            CHECK_FALSE(bc::make_kex(method)->server_encapsulate(value, *rng));
            CHECK_FALSE(client->client_decapsulate(value));
        }
        // The extremes that are allowed: 2 and p-2.
        CHECK(bc::make_kex(method)->server_encapsulate(Bytes{0x02}, *rng));
        CHECK(client->client_decapsulate(add_small(p, -2)));
    }
    // A client that never made a key pair has nothing to agree with.
    CHECK_FALSE(bc::make_kex("diffie-hellman-group16-sha512")->client_decapsulate(Bytes{0x02}));
}

TEST_CASE("ECDH rejects points that are malformed, off the curve or the identity", "[crypto][kex]")
{
    for (const char* method : {"ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521"}) {
        CAPTURE(method);
        const auto rng = bc::make_seeded_rng(9);
        auto client = bc::make_kex(method);
        const Bytes good = client->client_keypair(*rng);
        const size_t coord = (good.size() - 1) / 2;

        Bytes off_curve = good;
        off_curve.back() ^= 0x01;
        Bytes compressed(good.begin(), good.begin() + 1 + static_cast<std::ptrdiff_t>(coord));
        compressed[0] = static_cast<uint8_t>(0x02 | (good.back() & 1));
        Bytes wrong_tag = good;
        wrong_tag[0] = 0x05;
        Bytes zero_point(good.size(), 0);
        zero_point[0] = 0x04;
        Bytes coords_too_big(good.size(), 0xff);
        coords_too_big[0] = 0x04;

        const Bytes bad[] = {
            Bytes{},
            Bytes{0x00},  // SEC1 encoding of the point at infinity
            Bytes(good.begin(), good.end() - 1),
            off_curve,
            compressed,
            wrong_tag,
            zero_point,
            coords_too_big,
        };
        for (const auto& value : bad) {
            CAPTURE(to_hex(value).substr(0, 16), value.size());
            CHECK_FALSE(bc::make_kex(method)->server_encapsulate(value, *rng));
            CHECK_FALSE(client->client_decapsulate(value));
        }
        CHECK(bc::make_kex(method)->server_encapsulate(good, *rng));
    }
}

TEST_CASE("X25519 low-order points give an all-zero result and are rejected", "[crypto][kex]")
{
    // Little-endian u-coordinates of small-order points on curve25519 (and
    // the non-canonical encodings of 0 and 1): X25519 with any scalar gives 0.
    const char* low_order[] = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    };
    for (const char* name : {"curve25519-sha256", "curve25519-sha256@libssh.org"}) {
        const auto rng = bc::make_seeded_rng(3);
        auto client = bc::make_kex(name);
        client->client_keypair(*rng);
        for (const char* u : low_order) {
            CAPTURE(name, u);
            CHECK_FALSE(bc::make_kex(name)->server_encapsulate(from_hex(u), *rng));
            CHECK_FALSE(client->client_decapsulate(from_hex(u)));
        }
    }
}
