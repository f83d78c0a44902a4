// ssh-ed25519 keys: RFC 8032 §7.1 vectors through our key classes, blob
// parsing strictness, signature blobs (RFC 8709) and fingerprints.
#include <catch2/catch.hpp>

#include "crypto/key_files.h"
#include "crypto/key_impl.h"
#include "crypto/keys.h"
#include "tests/unit/crypto/test_util.h"

using burrow::Bytes;
using burrow::crypto::test::from_hex;
using burrow::crypto::test::to_hex;
namespace bc = burrow::crypto;

namespace {

Bytes ssh_string(const Bytes& data)
{
    Bytes out = {static_cast<uint8_t>(data.size() >> 24), static_cast<uint8_t>(data.size() >> 16),
                 static_cast<uint8_t>(data.size() >> 8), static_cast<uint8_t>(data.size())};
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

Bytes ssh_string(std::string_view s)
{
    return ssh_string(Bytes(s.begin(), s.end()));
}

Bytes concat(Bytes a, const Bytes& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

}  // namespace

TEST_CASE("Ed25519 RFC 8032 7.1 tests 1 and 2", "[crypto][keys]")
{
    struct Vector {
        const char* seed;
        const char* pub;
        const char* msg;
        const char* sig;
    };
    const Vector vectors[] = {
        {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
         "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
         "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
         "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
        {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
         "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
         "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
         "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    };
    auto rng = bc::make_seeded_rng(1);
    for (const auto& v : vectors) {
        auto key = bc::make_ed25519_private_key(from_hex(v.seed));
        REQUIRE(key);
        CHECK(key->key_type() == "ssh-ed25519");
        const Bytes expected_blob = concat(ssh_string("ssh-ed25519"), ssh_string(from_hex(v.pub)));
        CHECK(key->public_key().blob() == expected_blob);

        const Bytes msg = from_hex(v.msg);
        const Bytes sig = key->sign("ssh-ed25519", msg, *rng);
        CHECK(sig == concat(ssh_string("ssh-ed25519"), ssh_string(from_hex(v.sig))));

        auto pub = bc::parse_public_key_blob(expected_blob);
        REQUIRE(pub);
        CHECK(pub->verify("ssh-ed25519", msg, sig));
        CHECK_FALSE(pub->verify("rsa-sha2-256", msg, sig));
        Bytes other = msg;
        other.push_back(0);
        CHECK_FALSE(pub->verify("ssh-ed25519", other, sig));
        for (size_t i = 0; i < sig.size(); ++i) {
            Bytes bad = sig;
            bad[i] ^= 0x20;
            CHECK_FALSE(pub->verify("ssh-ed25519", msg, bad));
        }
        Bytes trailing = sig;
        trailing.push_back(0);
        CHECK_FALSE(pub->verify("ssh-ed25519", msg, trailing));

        Bytes fields;
        key->write_private_fields(fields);
        CHECK(fields == concat(ssh_string(from_hex(v.pub)),
                               ssh_string(concat(from_hex(v.seed), from_hex(v.pub)))));
    }
}

TEST_CASE("public key blobs are parsed strictly", "[crypto][keys]")
{
    auto rng = bc::make_seeded_rng(2);
    const auto key = bc::generate_ed25519(*rng);
    const Bytes& blob = key->public_key().blob();
    REQUIRE(blob.size() == 51);
    REQUIRE(bc::parse_public_key_blob(blob));
    for (size_t n = 0; n < blob.size(); ++n) {
        CHECK(bc::parse_public_key_blob({blob.data(), n}) == nullptr);
    }
    Bytes longer = blob;
    longer.push_back(0);
    CHECK(bc::parse_public_key_blob(longer) == nullptr);
    CHECK(bc::parse_public_key_blob(concat(ssh_string("ssh-rsa"), ssh_string(Bytes(32, 1)))) ==
          nullptr);
    CHECK(bc::parse_public_key_blob(concat(ssh_string("ssh-ed25519"), ssh_string(Bytes(31, 1)))) ==
          nullptr);
}

TEST_CASE("signature algorithm tables", "[crypto][keys]")
{
    CHECK(bc::signature_algorithms_for("ssh-ed25519") == std::vector<std::string>{"ssh-ed25519"});
    CHECK(bc::signature_algorithms_for("ssh-rsa") ==
          std::vector<std::string>{"rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"});
    CHECK(bc::key_type_for_signature("ssh-ed25519") == "ssh-ed25519");
    CHECK(bc::key_type_for_signature("rsa-sha2-512") == "ssh-rsa");
    CHECK(bc::key_type_for_signature("ssh-dss").empty());
}

TEST_CASE("generated keys differ and sign/verify", "[crypto][keys]")
{
    auto rng = bc::make_system_rng();
    const auto a = bc::generate_ed25519(*rng);
    const auto b = bc::generate_ed25519(*rng);
    CHECK(a->public_key().blob() != b->public_key().blob());
    const Bytes msg = {1, 2, 3};
    const Bytes sig = a->sign("ssh-ed25519", msg, *rng);
    CHECK(a->public_key().verify("ssh-ed25519", msg, sig));
    CHECK_FALSE(b->public_key().verify("ssh-ed25519", msg, sig));
}

TEST_CASE("helpers: base64, hmac-sha1, constant-time compare", "[crypto][encoding]")
{
    // RFC 4648 §10.
    CHECK(bc::base64_encode(burrow::as_bytes("foobar")) == "Zm9vYmFy");
    CHECK(bc::base64_encode(burrow::as_bytes("fo")) == "Zm8=");
    auto decoded = bc::base64_decode("Zm9vYg==");
    REQUIRE(decoded);
    CHECK(burrow::to_string(*decoded) == "foob");
    CHECK_FALSE(bc::base64_decode("Zm9v!mFy"));
    CHECK_FALSE(bc::base64_decode("Zm9v YmFy"));
    // RFC 2202 test case 2.
    CHECK(to_hex(bc::hmac_sha1(burrow::as_bytes("Jefe"),
                               burrow::as_bytes("what do ya want for nothing?"))) ==
          "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    CHECK(bc::constant_time_equal(Bytes{1, 2}, Bytes{1, 2}));
    CHECK_FALSE(bc::constant_time_equal(Bytes{1, 2}, Bytes{1, 3}));
    CHECK_FALSE(bc::constant_time_equal(Bytes{1, 2}, Bytes{1, 2, 3}));
}
