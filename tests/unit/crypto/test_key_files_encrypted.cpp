// Passphrase-protected openssh-key-v1 files: bcrypt_pbkdf against OpenBSD's
// published vectors, keys made by ssh-keygen -N, and keys we encrypt read
// back by ssh-keygen -y -P.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "crypto/bcrypt_pbkdf.h"
#include "crypto/key_files.h"
#include "tests/unit/crypto/test_util.h"

using burrow::as_bytes;
using burrow::crypto::test::run_command;
using burrow::crypto::test::slurp;
using burrow::crypto::test::TempDir;
using burrow::crypto::test::to_hex;
using burrow::crypto::test::write_private;
namespace bc = burrow::crypto;
namespace fs = std::filesystem;

namespace {

std::string first_two_fields(const std::string& line)
{
    const size_t sp = line.find(' ');
    const size_t sp2 = sp == std::string::npos ? sp : line.find_first_of(" \n", sp + 1);
    return line.substr(0, sp2);
}

}  // namespace

// Vectors from OpenBSD's regress tests for bcrypt_pbkdf(3) (also used by
// other independent implementations).
TEST_CASE("bcrypt_pbkdf matches the OpenBSD vectors", "[keyfile][bcrypt]")
{
    const auto a = bc::bcrypt_pbkdf(as_bytes("password"), as_bytes("salt"), 4, 32);
    REQUIRE(a);
    CHECK(to_hex(*a) == "5bbf0cc293587f1c3635555c27796598d47e579071bf427e9d8fbe842aba34d9");
    const burrow::Bytes zero{0};
    const auto b = bc::bcrypt_pbkdf(as_bytes("password"), zero, 4, 16);
    REQUIRE(b);
    CHECK(to_hex(*b) == "c12b566235eee04c212598970a579a67");
    const auto c = bc::bcrypt_pbkdf(zero, as_bytes("salt"), 4, 16);
    REQUIRE(c);
    CHECK(to_hex(*c) == "6051be18c2f4f82cbf0efee5471b4bb9");
    // A different round count gives a different key.
    const auto d = bc::bcrypt_pbkdf(as_bytes("password"), as_bytes("salt"), 5, 32);
    REQUIRE(d);
    CHECK(*d != *a);
    CHECK_FALSE(bc::bcrypt_pbkdf(as_bytes("password"), as_bytes("salt"), 0, 32));
}

TEST_CASE("keys encrypted by ssh-keygen load with the right passphrase only", "[keyfile][interop]")
{
    struct Case {
        const char* args;
        const char* type;
    };
    const Case cases[] = {
        {"-t ed25519", "ssh-ed25519"},
        {"-t ecdsa -b 256", "ecdsa-sha2-nistp256"},
        {"-t ecdsa -b 521", "ecdsa-sha2-nistp521"},
        {"-t rsa -b 2048", "ssh-rsa"},
        {"-t ed25519 -Z aes256-gcm@openssh.com", "ssh-ed25519"},
    };
    for (const Case& c : cases) {
        DYNAMIC_SECTION(c.args)
        {
            TempDir dir;
            const fs::path key = dir.path() / "id";
            std::string out;
            REQUIRE(run_command(std::string("ssh-keygen -q ") + c.args +
                                    " -a 4 -N 'sekrit pass' -C enc -f " + key.string() + " 2>&1",
                                out) == 0);
            const std::string text = slurp(key);
            CHECK(bc::is_encrypted_openssh_private_key(text));

            const auto none = bc::parse_openssh_private_key(text);
            CHECK_FALSE(none.loaded);
            CHECK(none.error == bc::KeyFileError::encrypted);

            const auto wrong = bc::parse_openssh_private_key(text, std::string_view("sekrit pasS"));
            CHECK_FALSE(wrong.loaded);
            CHECK(wrong.error == bc::KeyFileError::bad_passphrase);

            const auto right = bc::parse_openssh_private_key(text, std::string_view("sekrit pass"));
            REQUIRE(right.loaded);
            CHECK(right.loaded->comment == "enc");
            CHECK(right.loaded->key->key_type() == c.type);

            const std::string pub_line = slurp(fs::path(key.string() + ".pub"));
            const auto pub = bc::parse_public_key_line(pub_line);
            REQUIRE(pub);
            CHECK(right.loaded->key->public_key().blob() == pub->key->blob());

            // The public half is readable before any passphrase is known.
            const auto clear_pub = bc::public_key_of_private_file(text);
            REQUIRE(clear_pub);
            CHECK(clear_pub->blob() == pub->key->blob());
        }
    }
}

TEST_CASE("ssh-keygen reads back keys we encrypt", "[keyfile][interop]")
{
    auto rng = bc::make_system_rng();
    const char* types[] = {"ssh-ed25519", "ecdsa-sha2-nistp384", "ssh-rsa"};
    const char* ciphers[] = {"aes256-ctr", "aes256-gcm@openssh.com"};
    for (const char* type : types) {
        for (const char* cipher : ciphers) {
            DYNAMIC_SECTION(type << " " << cipher)
            {
                const auto key = bc::generate_key(type, 2048, *rng);
                REQUIRE(key);
                bc::KeyFileEncryption enc;
                enc.passphrase = "our pass";
                enc.rounds = 4;
                enc.cipher = cipher;
                const std::string text = bc::write_openssh_private_key(*key, "ours", *rng, enc);
                REQUIRE_FALSE(text.empty());
                CHECK(bc::is_encrypted_openssh_private_key(text));

                TempDir dir;
                const fs::path path = dir.path() / "id";
                write_private(path, text);
                std::string out;
                REQUIRE(run_command("ssh-keygen -y -P 'our pass' -f " + path.string() + " 2>&1",
                                    out) == 0);
                CHECK(first_two_fields(out) == bc::format_public_key_line(key->public_key(), ""));
                CHECK(run_command("ssh-keygen -y -P 'not it' -f " + path.string() + " 2>&1", out) !=
                      0);

                const auto back = bc::parse_openssh_private_key(text, std::string_view("our pass"));
                REQUIRE(back.loaded);
                CHECK(back.loaded->key->public_key().blob() == key->public_key().blob());
                CHECK(bc::parse_openssh_private_key(text, std::string_view("x")).error ==
                      bc::KeyFileError::bad_passphrase);
            }
        }
    }
}

TEST_CASE("encrypted files: tampering and bad parameters", "[keyfile]")
{
    auto rng = bc::make_seeded_rng(7);
    const auto key = bc::generate_ed25519(*rng);
    bc::KeyFileEncryption enc;
    enc.passphrase = "p";
    enc.rounds = 2;
    CHECK(
        bc::write_openssh_private_key(*key, "c", *rng, bc::KeyFileEncryption{"p", 0, "aes256-ctr"})
            .empty());
    CHECK(bc::write_openssh_private_key(*key, "c", *rng, bc::KeyFileEncryption{"p", 2, "3des-cbc"})
              .empty());
    // An empty passphrase writes an unencrypted file.
    const std::string plain =
        bc::write_openssh_private_key(*key, "c", *rng, bc::KeyFileEncryption{});
    CHECK_FALSE(bc::is_encrypted_openssh_private_key(plain));
    CHECK(bc::parse_openssh_private_key(plain).loaded);

    enc.cipher = "aes256-gcm@openssh.com";
    const std::string text = bc::write_openssh_private_key(*key, "c", *rng, enc);
    REQUIRE(bc::parse_openssh_private_key(text, std::string_view("p")).loaded);
    // Flip one base64 character in the middle of the ciphertext: the GCM tag fails.
    std::string bad = text;
    const size_t pos = bad.size() / 2;
    bad[pos] = bad[pos] == 'A' ? 'B' : 'A';
    CHECK_FALSE(bc::parse_openssh_private_key(bad, std::string_view("p")).loaded);
    // Truncations never load.
    for (size_t n = 0; n < text.size(); n += 7) {
        CHECK_FALSE(bc::parse_openssh_private_key(text.substr(0, n), std::string_view("p")).loaded);
    }
    CHECK_FALSE(bc::public_key_of_private_file("garbage"));
}

TEST_CASE("PEM and PKCS#8 private keys written by ssh-keygen load", "[keyfile][pem][interop]")
{
    struct Case {
        const char* args;
        const char* label;
    };
    // ssh-keygen -m PEM writes PKCS#1 for RSA and SEC1 for ECDSA; -m PKCS8 writes PKCS#8.
    const Case cases[] = {
        {"-t rsa -b 2048 -m PEM", "RSA PRIVATE KEY"}, {"-t ecdsa -b 256 -m PEM", "EC PRIVATE KEY"},
        {"-t ecdsa -b 384 -m PEM", "EC PRIVATE KEY"}, {"-t ecdsa -b 521 -m PEM", "EC PRIVATE KEY"},
        {"-t rsa -b 2048 -m PKCS8", "PRIVATE KEY"},   {"-t ecdsa -b 256 -m PKCS8", "PRIVATE KEY"},
    };
    for (const Case& c : cases) {
        DYNAMIC_SECTION(c.args)
        {
            TempDir dir;
            const fs::path key = dir.path() / "id";
            std::string out;
            REQUIRE(run_command(std::string("ssh-keygen -q -N '' ") + c.args + " -f " +
                                    key.string() + " 2>&1",
                                out) == 0);
            const std::string text = slurp(key);
            REQUIRE(text.find(std::string("-----BEGIN ") + c.label + "-----") == 0);
            const auto pub = bc::parse_public_key_line(slurp(fs::path(key.string() + ".pub")));
            REQUIRE(pub);
            const auto loaded = bc::parse_private_key_file(text, std::nullopt);
            REQUIRE(loaded.loaded);
            CHECK(loaded.loaded->key->public_key().blob() == pub->key->blob());
            // It signs, and the public key from ssh-keygen verifies it.
            auto rng = bc::make_system_rng();
            const burrow::Bytes data{9, 8, 7};
            const std::string alg = bc::signature_algorithms_for(pub->key->key_type()).front();
            CHECK(pub->key->verify(alg, data, loaded.loaded->key->sign(alg, data, *rng)));
            // Damage in the body is refused.
            std::string bad = text;
            bad[text.size() / 2] = '*';
            CHECK_FALSE(bc::parse_private_key_file(bad, std::nullopt).loaded);
        }
    }
}

TEST_CASE("encrypted PKCS#8 (ssh-keygen -m PKCS8 -N) needs the passphrase",
          "[keyfile][pem][interop]")
{
    TempDir dir;
    const fs::path key = dir.path() / "id";
    std::string out;
    REQUIRE(run_command(
                "ssh-keygen -q -t ecdsa -b 256 -m PKCS8 -N 'pk8 pass' -f " + key.string() + " 2>&1",
                out) == 0);
    const std::string text = slurp(key);
    REQUIRE(text.find("-----BEGIN ENCRYPTED PRIVATE KEY-----") == 0);
    CHECK(bc::parse_private_key_file(text, std::nullopt).error == bc::KeyFileError::encrypted);
    CHECK(bc::parse_private_key_file(text, std::string_view("wrong")).error ==
          bc::KeyFileError::bad_passphrase);
    const auto loaded = bc::parse_private_key_file(text, std::string_view("pk8 pass"));
    REQUIRE(loaded.loaded);
    const auto pub = bc::parse_public_key_line(slurp(fs::path(key.string() + ".pub")));
    REQUIRE(pub);
    CHECK(loaded.loaded->key->public_key().blob() == pub->key->blob());
}

TEST_CASE("parse_private_key_file dispatches and refuses non-keys", "[keyfile][pem]")
{
    auto rng = bc::make_seeded_rng(3);
    const auto key = bc::generate_ed25519(*rng);
    const std::string text = bc::write_openssh_private_key(*key, "c", *rng);
    CHECK(bc::parse_private_key_file(text, std::nullopt).loaded);
    CHECK_FALSE(bc::parse_private_key_file("", std::nullopt).loaded);
    CHECK_FALSE(bc::parse_private_key_file(
                    "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", std::nullopt)
                    .loaded);
    CHECK_FALSE(
        bc::parse_private_key_file(
            "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n", std::nullopt)
            .loaded);
}
