// ssh-rsa keys: RFC 8332 algorithm binding, the 2048-bit floor, canonical
// blobs and consistent private keys.
#include <catch2/catch.hpp>

#include "crypto/key_files.h"
#include "crypto/keys.h"
#include "crypto/mpint.h"
#include "tests/unit/crypto/test_keys_util.h"

using burrow::Bytes;
using burrow::crypto::test::KeyTempDir;
using burrow::crypto::test::run_command;
using burrow::crypto::test::slurp;
namespace bc = burrow::crypto;
namespace bt = burrow::crypto::test;

namespace {

/// One shared 2048-bit key: RSA generation is slow.
const bc::PrivateKey& rsa_key()
{
    static const auto key = [] {
        auto rng = bc::make_seeded_rng(51);
        return bc::generate_key("ssh-rsa", 2048, *rng);
    }();
    REQUIRE(key);
    return *key;
}

Bytes signature_blob(std::string_view alg, burrow::ByteView sig)
{
    Bytes out;
    bc::put_string(out, alg);
    bc::put_string(out, sig);
    return out;
}

/// The (e, n) mpint bodies of an ssh-rsa blob.
std::pair<Bytes, Bytes> blob_fields(const Bytes& blob)
{
    bc::WireReader r(blob);
    REQUIRE(r.string());
    const auto e = r.string();
    const auto n = r.string();
    REQUIRE(n);
    return {Bytes(e->begin(), e->end()), Bytes(n->begin(), n->end())};
}

Bytes make_rsa_blob(burrow::ByteView e, burrow::ByteView n)
{
    Bytes blob;
    bc::put_string(blob, "ssh-rsa");
    bc::put_string(blob, e);
    bc::put_string(blob, n);
    return blob;
}

}  // namespace

TEST_CASE("RSA signatures name and bind their algorithm", "[crypto][keys][rsa]")
{
    const auto& key = rsa_key();
    const auto& pub = key.public_key();
    CHECK(pub.bits() == 2048);
    CHECK(bc::signature_algorithms_for("ssh-rsa") ==
          std::vector<std::string>{"rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"});
    for (const char* alg : {"rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"}) {
        CHECK(bc::key_type_for_signature(alg) == "ssh-rsa");
    }

    auto rng = bc::make_seeded_rng(52);
    const Bytes msg = {'m', 's', 'g'};
    const Bytes sig256 = key.sign("rsa-sha2-256", msg, *rng);
    // RFC 8332 §3: string "rsa-sha2-256", string S of the modulus length.
    bc::WireReader r(sig256);
    const auto alg = r.string();
    const auto s = r.string();
    REQUIRE(s);
    CHECK(burrow::to_string(*alg) == "rsa-sha2-256");
    CHECK(s->size() == 256);
    CHECK(r.empty());

    CHECK(pub.verify("rsa-sha2-256", msg, sig256));
    // Verified as another algorithm: refused by name...
    CHECK_FALSE(pub.verify("rsa-sha2-512", msg, sig256));
    CHECK_FALSE(pub.verify("ssh-rsa", msg, sig256));
    CHECK_FALSE(pub.verify("ssh-ed25519", msg, sig256));
    // ...and by hash, when the name is rewritten to match.
    const Bytes relabelled = signature_blob("rsa-sha2-512", *s);
    CHECK_FALSE(pub.verify("rsa-sha2-512", msg, relabelled));
    const Bytes relabelled_sha1 = signature_blob("ssh-rsa", *s);
    CHECK_FALSE(pub.verify("ssh-rsa", msg, relabelled_sha1));

    // A SHA-1 signature is only good as ssh-rsa.
    const Bytes sig1 = key.sign("ssh-rsa", msg, *rng);
    CHECK(pub.verify("ssh-rsa", msg, sig1));
    CHECK_FALSE(pub.verify("rsa-sha2-512", msg, sig1));

    // An oversized S (longer than the modulus) is refused.
    Bytes big(s->begin(), s->end());
    big.insert(big.begin(), 0);
    CHECK_FALSE(pub.verify("rsa-sha2-256", msg, signature_blob("rsa-sha2-256", big)));
    CHECK_FALSE(pub.verify("rsa-sha2-256", msg, signature_blob("rsa-sha2-256", Bytes{})));

    CHECK_THROWS(key.sign("ssh-ed25519", msg, *rng));
    CHECK_THROWS(key.sign("rsa-sha2-384", msg, *rng));
}

TEST_CASE("RSA keys under 2048 bits are refused", "[crypto][keys][rsa][ssh-keygen]")
{
    KeyTempDir dir;
    const auto path = dir / "small";
    std::string out;
    REQUIRE(run_command("ssh-keygen -q -t rsa -b 1024 -N '' -f " + bt::quoted(path) + " </dev/null",
                        out) == 0);
    const std::string line = slurp(path.string() + ".pub");
    CHECK_FALSE(bc::parse_public_key_line(line));
    const auto blob = bc::base64_decode(bt::field(line, 1));
    REQUIRE(blob);
    CHECK_FALSE(bc::parse_public_key_blob(*blob));
    const auto loaded = bc::parse_openssh_private_key(slurp(path));
    CHECK_FALSE(loaded.loaded);
    CHECK(loaded.error == bc::KeyFileError::unsupported_type);

    auto rng = bc::make_seeded_rng(53);
    CHECK_FALSE(bc::generate_key("ssh-rsa", 1024, *rng));
    CHECK_FALSE(bc::generate_key("ssh-rsa", 2047, *rng));
    CHECK_FALSE(bc::generate_key("ssh-rsa", 16385, *rng));
}

TEST_CASE("RSA blobs must be canonical and sane", "[crypto][keys][rsa]")
{
    const Bytes& blob = rsa_key().public_key().blob();
    const auto [e, n] = blob_fields(blob);
    REQUIRE(bc::parse_public_key_blob(make_rsa_blob(e, n)));

    // A redundant leading zero gives a second encoding of the same key.
    Bytes e_padded = e;
    e_padded.insert(e_padded.begin(), 0);
    CHECK_FALSE(bc::parse_public_key_blob(make_rsa_blob(e_padded, n)));
    // A negative modulus (sign byte dropped).
    REQUIRE(n.front() == 0);
    CHECK_FALSE(bc::parse_public_key_blob(make_rsa_blob(e, Bytes(n.begin() + 1, n.end()))));
    // Exponents 1 and 2, and an even modulus.
    CHECK_FALSE(bc::parse_public_key_blob(make_rsa_blob(Bytes{1}, n)));
    CHECK_FALSE(bc::parse_public_key_blob(make_rsa_blob(Bytes{2}, n)));
    Bytes n_even = n;
    n_even.back() &= 0xfe;
    CHECK_FALSE(bc::parse_public_key_blob(make_rsa_blob(e, n_even)));
    // Fields swapped (e as the modulus).
    CHECK_FALSE(bc::parse_public_key_blob(make_rsa_blob(n, e)));
}

TEST_CASE("RSA private keys must be consistent", "[crypto][keys][rsa]")
{
    bt::check_every_flip_refused(rsa_key());
}
