// Every key type against the installed OpenSSH ssh-keygen: keys it makes we
// read, fingerprint and sign with; keys we write it reads back; signatures it
// makes (SSHSIG, `ssh-keygen -Y sign`) we verify, and ours it verifies.
#include <catch2/catch.hpp>

#include "crypto/key_files.h"
#include "crypto/keys.h"
#include "tests/unit/crypto/test_keys_util.h"

using burrow::Bytes;
using burrow::crypto::test::field;
using burrow::crypto::test::KeyTempDir;
using burrow::crypto::test::run_command;
using burrow::crypto::test::slurp;
using burrow::crypto::test::write_private;
namespace bc = burrow::crypto;
namespace bt = burrow::crypto::test;

namespace {

struct KeyCase {
    const char* keygen_type;  // ssh-keygen -t
    size_t bits;              // ssh-keygen -b (0: its default)
    const char* key_type;
    size_t expected_bits;
};

constexpr KeyCase key_cases[] = {
    {"ed25519", 0, "ssh-ed25519", 256},
    {"ecdsa", 256, "ecdsa-sha2-nistp256", 256},
    {"ecdsa", 384, "ecdsa-sha2-nistp384", 384},
    {"ecdsa", 521, "ecdsa-sha2-nistp521", 521},
    {"rsa", 2048, "ssh-rsa", 2048},
    {"rsa", 3072, "ssh-rsa", 3072},
};

std::string first_line(const std::string& text)
{
    return text.substr(0, text.find('\n'));
}

/// `ssh-keygen -y` on a private key we wrote gives our public line.
void check_openssh_reads_back(const bc::PrivateKey& key, const KeyTempDir& dir)
{
    auto rng = bc::make_seeded_rng(11);
    const auto path = dir / "ours";
    write_private(path, bc::write_openssh_private_key(key, "ours", *rng));
    std::string out;
    REQUIRE(run_command("ssh-keygen -y -f " + bt::quoted(path) + " 2>&1", out) == 0);
    const std::string ours = bc::format_public_key_line(key.public_key(), "");
    CHECK(field(out, 0) + " " + field(out, 1) == ours);

    // And `ssh-keygen -l` agrees on size and fingerprint.
    REQUIRE(run_command("ssh-keygen -l -f " + bt::quoted(path) + " 2>&1", out) == 0);
    CHECK(field(out, 0) == std::to_string(key.public_key().bits()));
    CHECK(field(out, 1) == bc::fingerprint_sha256(key.public_key().blob()));
}

void check_sign_verify(const bc::PrivateKey& key)
{
    auto rng = bc::make_seeded_rng(12);
    const Bytes msg = {'h', 'e', 'l', 'l', 'o'};
    const Bytes other = {'h', 'e', 'l', 'l', 'O'};
    const auto algs = bc::signature_algorithms_for(key.key_type());
    REQUIRE_FALSE(algs.empty());
    for (const auto& alg : algs) {
        INFO(alg);
        CHECK(bc::key_type_for_signature(alg) == key.key_type());
        const Bytes sig = key.sign(alg, msg, *rng);
        CHECK(key.public_key().verify(alg, msg, sig));
        CHECK_FALSE(key.public_key().verify(alg, other, sig));
        Bytes flipped = sig;
        flipped.back() ^= 0x40;
        CHECK_FALSE(key.public_key().verify(alg, msg, flipped));
    }
}

/// OpenSSH signs a file with the key; we verify the SSHSIG signature.
void check_openssh_signature(const bc::PrivateKey& key, const std::filesystem::path& key_path,
                             const KeyTempDir& dir)
{
    const auto msg_path = dir / "message";
    const std::string message = "signed by OpenSSH\n";
    write_private(msg_path, message);
    std::string out;
    REQUIRE(run_command("ssh-keygen -q -Y sign -n burrow-test -f " + bt::quoted(key_path) + " " +
                            bt::quoted(msg_path) + " 2>&1",
                        out) == 0);
    const auto sig = bt::parse_sshsig(slurp(msg_path.string() + ".sig"));
    REQUIRE(sig);
    CHECK(sig->public_key == key.public_key().blob());
    bc::WireReader r(sig->signature);
    const auto alg = r.string();
    REQUIRE(alg);
    const std::string sig_alg = burrow::to_string(*alg);
    CHECK(bc::key_type_for_signature(sig_alg) == key.key_type());
    const Bytes signed_data =
        bt::sshsig_signed_data(sig->ns, sig->hash_alg, burrow::as_bytes(message));
    CHECK(key.public_key().verify(sig_alg, signed_data, sig->signature));
    // The same signature over other data does not verify.
    const Bytes other = bt::sshsig_signed_data(sig->ns, sig->hash_alg, burrow::as_bytes("x"));
    CHECK_FALSE(key.public_key().verify(sig_alg, other, sig->signature));
}

/// We sign in SSHSIG form; `ssh-keygen -Y check-novalidate` accepts it.
void check_our_signature(const bc::PrivateKey& key, const KeyTempDir& dir)
{
    auto rng = bc::make_seeded_rng(13);
    const auto msg_path = dir / "our-message";
    const std::string message = "signed by burrow\n";
    write_private(msg_path, message);
    for (const auto& alg : bc::signature_algorithms_for(key.key_type())) {
        if (alg == "ssh-rsa") {
            continue;  // OpenSSH refuses SHA-1 in SSHSIG
        }
        INFO(alg);
        bt::SshSig sig;
        sig.public_key = key.public_key().blob();
        sig.ns = "burrow-test";
        sig.hash_alg = "sha512";
        sig.signature = key.sign(
            alg, bt::sshsig_signed_data(sig.ns, sig.hash_alg, burrow::as_bytes(message)), *rng);
        const auto sig_path = dir / "our-message.sig";
        write_private(sig_path, bt::format_sshsig(sig));
        std::string out;
        const int status =
            run_command("ssh-keygen -Y check-novalidate -n burrow-test -s " + bt::quoted(sig_path) +
                            " < " + bt::quoted(msg_path) + " 2>&1",
                        out);
        INFO(out);
        CHECK(status == 0);
        CHECK(out.find("Good") != std::string::npos);
    }
}

}  // namespace

TEST_CASE("keys made by ssh-keygen, every type", "[crypto][keys][ssh-keygen]")
{
    for (const auto& c : key_cases) {
        INFO(c.keygen_type << " " << c.bits);
        KeyTempDir dir;
        const auto key_path = dir / "key";
        std::string out;
        const std::string bits = c.bits != 0 ? " -b " + std::to_string(c.bits) : "";
        REQUIRE(run_command(std::string("ssh-keygen -q -t ") + c.keygen_type + bits +
                                " -N '' -C 'made@openssh' -f " + bt::quoted(key_path) +
                                " </dev/null",
                            out) == 0);

        const auto loaded = bc::parse_openssh_private_key(slurp(key_path));
        REQUIRE(loaded.loaded);
        const auto& key = *loaded.loaded->key;
        CHECK(loaded.loaded->comment == "made@openssh");
        CHECK(key.key_type() == c.key_type);
        CHECK(key.public_key().key_type() == c.key_type);
        CHECK(key.public_key().bits() == c.expected_bits);

        // The .pub line: same blob, and we format it identically.
        const std::string pub_line = first_line(slurp(key_path.string() + ".pub"));
        const auto parsed = bc::parse_public_key_line(pub_line);
        REQUIRE(parsed);
        CHECK(parsed->key->blob() == key.public_key().blob());
        CHECK(parsed->key->bits() == c.expected_bits);
        CHECK(bc::format_public_key_line(key.public_key(), "made@openssh") == pub_line);

        // `ssh-keygen -l`: "<bits> SHA256:... comment (TYPE)".
        REQUIRE(run_command("ssh-keygen -l -f " + bt::quoted(key_path.string() + ".pub"), out) ==
                0);
        CHECK(field(out, 0) == std::to_string(c.expected_bits));
        CHECK(field(out, 1) == bc::fingerprint_sha256(key.public_key().blob()));

        check_openssh_reads_back(key, dir);
        check_sign_verify(key);
        check_openssh_signature(key, key_path, dir);
        check_our_signature(key, dir);
    }
}

TEST_CASE("keys we generate, every type", "[crypto][keys][ssh-keygen]")
{
    auto rng = bc::make_seeded_rng(21);
    for (const auto& c : key_cases) {
        INFO(c.key_type << " " << c.expected_bits);
        const size_t bits = std::string_view(c.key_type) == "ssh-rsa" ? c.bits : 0;
        const auto key = bc::generate_key(c.key_type, bits, *rng);
        REQUIRE(key);
        CHECK(key->key_type() == c.key_type);
        CHECK(key->public_key().bits() == c.expected_bits);
        KeyTempDir dir;
        check_openssh_reads_back(*key, dir);
        check_sign_verify(*key);
        check_our_signature(*key, dir);

        // Our own writer and reader round-trip.
        const auto back =
            bc::parse_openssh_private_key(bc::write_openssh_private_key(*key, "c", *rng));
        REQUIRE(back.loaded);
        CHECK(back.loaded->key->public_key().blob() == key->public_key().blob());
    }
    // RSA's default size is 3072 bits.
    const auto rsa = bc::generate_key("ssh-rsa", 0, *rng);
    REQUIRE(rsa);
    CHECK(rsa->public_key().bits() == 3072);
    CHECK_FALSE(bc::generate_key("ssh-dss", 0, *rng));
}

TEST_CASE("every truncation of key and signature blobs is refused", "[crypto][keys]")
{
    auto rng = bc::make_seeded_rng(31);
    for (const char* type : {"ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
                             "ecdsa-sha2-nistp521", "ssh-rsa"}) {
        INFO(type);
        const auto key = bc::generate_key(type, 2048, *rng);
        REQUIRE(key);
        const Bytes& blob = key->public_key().blob();
        REQUIRE(bc::parse_public_key_blob(blob));
        for (size_t n = 0; n < blob.size(); ++n) {
            CHECK_FALSE(bc::parse_public_key_blob({blob.data(), n}));
        }
        // Trailing garbage is refused too.
        Bytes longer = blob;
        longer.push_back(0);
        CHECK_FALSE(bc::parse_public_key_blob(longer));

        const Bytes msg = {1, 2, 3};
        for (const auto& alg : bc::signature_algorithms_for(type)) {
            const Bytes sig = key->sign(alg, msg, *rng);
            for (size_t n = 0; n < sig.size(); ++n) {
                CHECK_FALSE(key->public_key().verify(alg, msg, {sig.data(), n}));
            }
            Bytes sig_longer = sig;
            sig_longer.push_back(0);
            CHECK_FALSE(key->public_key().verify(alg, msg, sig_longer));
        }
    }
}
