// ecdsa-sha2-nistp* keys: points must lie on the named curve, the identifier
// must match the type, signatures are (r, s) mpints bound to the curve.
#include <catch2/catch.hpp>

#include "crypto/key_files.h"
#include "crypto/keys.h"
#include "tests/unit/crypto/test_keys_util.h"

using burrow::Bytes;
namespace bc = burrow::crypto;
namespace bt = burrow::crypto::test;

namespace {

constexpr const char* ecdsa_types[] = {"ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
                                       "ecdsa-sha2-nistp521"};

struct EcdsaBlob {
    std::string type;
    std::string identifier;
    Bytes q;
};

EcdsaBlob split(const Bytes& blob)
{
    bc::WireReader r(blob);
    const auto type = r.string();
    const auto identifier = r.string();
    const auto q = r.string();
    REQUIRE(q);
    REQUIRE(r.empty());
    return {burrow::to_string(*type), burrow::to_string(*identifier), Bytes(q->begin(), q->end())};
}

Bytes join(const EcdsaBlob& b)
{
    Bytes blob;
    bc::put_string(blob, b.type);
    bc::put_string(blob, b.identifier);
    bc::put_string(blob, burrow::ByteView{b.q});
    return blob;
}

Bytes signature_blob(std::string_view alg, const Bytes& r, const Bytes& s)
{
    Bytes inner;
    bc::put_string(inner, burrow::ByteView{r});
    bc::put_string(inner, burrow::ByteView{s});
    Bytes out;
    bc::put_string(out, alg);
    bc::put_string(out, burrow::ByteView{inner});
    return out;
}

}  // namespace

TEST_CASE("ECDSA public points must be on the curve", "[crypto][keys][ecdsa]")
{
    auto rng = bc::make_seeded_rng(61);
    for (const char* type : ecdsa_types) {
        INFO(type);
        const auto key = bc::generate_key(type, 0, *rng);
        REQUIRE(key);
        const EcdsaBlob good = split(key->public_key().blob());
        CHECK(good.type == type);
        CHECK(good.q.front() == 0x04);
        REQUIRE(bc::parse_public_key_blob(join(good)));

        // Any change to y leaves the curve (only y and p - y fit an x).
        for (size_t i = good.q.size() - 4; i < good.q.size(); ++i) {
            EcdsaBlob off = good;
            off.q[i] ^= 0x01;
            CHECK_FALSE(bc::parse_public_key_blob(join(off)));
        }
        // Compressed, hybrid and infinity encodings are refused (RFC 5656 §3.1).
        EcdsaBlob compressed = good;
        compressed.q.resize(1 + (good.q.size() - 1) / 2);
        compressed.q[0] = static_cast<uint8_t>(0x02 | (good.q.back() & 1));
        CHECK_FALSE(bc::parse_public_key_blob(join(compressed)));
        EcdsaBlob hybrid = good;
        hybrid.q[0] = static_cast<uint8_t>(0x06 | (good.q.back() & 1));
        CHECK_FALSE(bc::parse_public_key_blob(join(hybrid)));
        EcdsaBlob infinity = good;
        infinity.q = {0x00};
        CHECK_FALSE(bc::parse_public_key_blob(join(infinity)));
        // All-ones coordinates are not field elements.
        EcdsaBlob ones = good;
        std::fill(ones.q.begin() + 1, ones.q.end(), 0xff);
        CHECK_FALSE(bc::parse_public_key_blob(join(ones)));
        // The identifier must name the type's curve.
        EcdsaBlob wrong_id = good;
        wrong_id.identifier = wrong_id.identifier == "nistp256" ? "nistp384" : "nistp256";
        CHECK_FALSE(bc::parse_public_key_blob(join(wrong_id)));
    }
}

TEST_CASE("ECDSA signatures", "[crypto][keys][ecdsa]")
{
    auto rng = bc::make_seeded_rng(62);
    const auto p256 = bc::generate_key("ecdsa-sha2-nistp256", 0, *rng);
    const auto p384 = bc::generate_key("ecdsa-sha2-nistp384", 0, *rng);
    REQUIRE(p256);
    REQUIRE(p384);
    const Bytes msg = {'e', 'c'};
    const Bytes sig = p256->sign("ecdsa-sha2-nistp256", msg, *rng);
    REQUIRE(p256->public_key().verify("ecdsa-sha2-nistp256", msg, sig));

    // RFC 5656 §3.1.2: string alg, string (mpint r, mpint s).
    bc::WireReader outer(sig);
    REQUIRE(burrow::to_string(*outer.string()) == "ecdsa-sha2-nistp256");
    const auto inner = outer.string();
    REQUIRE(inner);
    bc::WireReader rs(*inner);
    const auto r = rs.string();
    const auto s = rs.string();
    REQUIRE(s);
    CHECK(rs.empty());
    const Bytes r_bytes(r->begin(), r->end());
    const Bytes s_bytes(s->begin(), s->end());
    CHECK(p256->public_key().verify("ecdsa-sha2-nistp256", msg,
                                    signature_blob("ecdsa-sha2-nistp256", r_bytes, s_bytes)));

    const auto& pub = p256->public_key();
    // Zero r or s, a negative r, an oversized s, swapped r and s.
    CHECK_FALSE(
        pub.verify("ecdsa-sha2-nistp256", msg, signature_blob("ecdsa-sha2-nistp256", {}, s_bytes)));
    CHECK_FALSE(
        pub.verify("ecdsa-sha2-nistp256", msg, signature_blob("ecdsa-sha2-nistp256", r_bytes, {})));
    Bytes negative = r_bytes;
    negative[0] |= 0x80;
    CHECK_FALSE(pub.verify("ecdsa-sha2-nistp256", msg,
                           signature_blob("ecdsa-sha2-nistp256", negative, s_bytes)));
    Bytes oversized(40, 0x7f);
    CHECK_FALSE(pub.verify("ecdsa-sha2-nistp256", msg,
                           signature_blob("ecdsa-sha2-nistp256", r_bytes, oversized)));
    CHECK_FALSE(pub.verify("ecdsa-sha2-nistp256", msg,
                           signature_blob("ecdsa-sha2-nistp256", s_bytes, r_bytes)));

    // The algorithm is the key's own: no other name, no other curve's key.
    CHECK_FALSE(pub.verify("ecdsa-sha2-nistp384", msg, sig));
    CHECK_FALSE(p384->public_key().verify("ecdsa-sha2-nistp256", msg, sig));
    const Bytes sig384 = p384->sign("ecdsa-sha2-nistp384", msg, *rng);
    CHECK_FALSE(pub.verify("ecdsa-sha2-nistp384", msg, sig384));
    CHECK_THROWS(p256->sign("ecdsa-sha2-nistp384", msg, *rng));
    CHECK(bc::signature_algorithms_for("ecdsa-sha2-nistp521") ==
          std::vector<std::string>{"ecdsa-sha2-nistp521"});
    CHECK(bc::key_type_for_signature("ecdsa-sha2-nistp384") == "ecdsa-sha2-nistp384");
    CHECK(bc::key_type_for_signature("ecdsa-sha2-nistp192").empty());
}

TEST_CASE("ECDSA private keys must be consistent", "[crypto][keys][ecdsa]")
{
    auto rng = bc::make_seeded_rng(63);
    for (const char* type : ecdsa_types) {
        INFO(type);
        const auto key = bc::generate_key(type, 0, *rng);
        REQUIRE(key);
        bt::check_every_flip_refused(*key);
    }
}
