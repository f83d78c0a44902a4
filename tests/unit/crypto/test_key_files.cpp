// openssh-key-v1 files and public key lines, checked against the real
// ssh-keygen: it makes a key we must read, and reads back a key we write.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "crypto/key_files.h"
#include "tests/unit/crypto/test_util.h"

using burrow::Bytes;
using burrow::crypto::test::run_command;
using burrow::crypto::test::TempDir;
namespace bc = burrow::crypto;
namespace fs = std::filesystem;

namespace {

std::string trim(std::string s)
{
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) {
        s.pop_back();
    }
    return s;
}

std::string quote(const fs::path& p)
{
    return "'" + p.string() + "'";
}

}  // namespace

TEST_CASE("read a key made by ssh-keygen", "[crypto][keyfiles][ssh-keygen]")
{
    TempDir dir;
    const fs::path key_path = dir.path() / "id_ed25519";
    std::string out;
    REQUIRE(run_command("ssh-keygen -q -t ed25519 -N '' -C 'tester@burrow' -f " + quote(key_path) +
                            " </dev/null",
                        out) == 0);

    const auto result = bc::parse_openssh_private_key(burrow::crypto::test::slurp(key_path));
    REQUIRE(result.loaded);
    CHECK(result.loaded->comment == "tester@burrow");
    const auto& key = *result.loaded->key;

    // The same public line as the .pub file ssh-keygen wrote.
    const std::string pub_line = trim(burrow::crypto::test::slurp(key_path.string() + ".pub"));
    CHECK(bc::format_public_key_line(key.public_key(), "tester@burrow") == pub_line);
    const auto parsed = bc::parse_public_key_line(pub_line);
    REQUIRE(parsed);
    CHECK(parsed->comment == "tester@burrow");
    CHECK(parsed->key->blob() == key.public_key().blob());

    // `ssh-keygen -l` prints "256 SHA256:... comment (ED25519)".
    REQUIRE(run_command("ssh-keygen -l -f " + quote(key_path.string() + ".pub"), out) == 0);
    const std::string fp = bc::fingerprint_sha256(key.public_key().blob());
    CHECK(fp.size() == 7 + 43);
    CHECK(out.find(" " + fp + " ") != std::string::npos);

    // The loaded key signs verifiably.
    auto rng = bc::make_system_rng();
    const Bytes msg = {9, 8, 7};
    CHECK(key.public_key().verify("ssh-ed25519", msg, key.sign("ssh-ed25519", msg, *rng)));
}

TEST_CASE("ssh-keygen reads a key we write", "[crypto][keyfiles][ssh-keygen]")
{
    TempDir dir;
    auto rng = bc::make_system_rng();
    const auto key = bc::generate_ed25519(*rng);
    const std::string text = bc::write_openssh_private_key(*key, "written by burrow", *rng);

    // PEM armour with 70-column lines, as ssh-keygen writes.
    std::istringstream lines(text);
    std::string line;
    std::getline(lines, line);
    CHECK(line == "-----BEGIN OPENSSH PRIVATE KEY-----");
    while (std::getline(lines, line) && line.rfind("-----", 0) != 0) {
        CHECK(line.size() <= 70);
    }
    CHECK(line == "-----END OPENSSH PRIVATE KEY-----");

    const fs::path key_path = dir.path() / "ours";
    burrow::crypto::test::write_private(key_path, text);
    std::string out;
    REQUIRE(run_command("ssh-keygen -y -f " + quote(key_path) + " 2>&1", out) == 0);
    // ssh-keygen -y prints "type base64" and, in newer versions, the comment.
    const std::string expected = bc::format_public_key_line(key->public_key(), "");
    CHECK(trim(out).rfind(expected, 0) == 0);

    // And we read our own output back.
    const auto back = bc::parse_openssh_private_key(text);
    REQUIRE(back.loaded);
    CHECK(back.loaded->comment == "written by burrow");
    CHECK(back.loaded->key->public_key().blob() == key->public_key().blob());
}

TEST_CASE("encrypted and malformed key files are refused", "[crypto][keyfiles][ssh-keygen]")
{
    TempDir dir;
    const fs::path key_path = dir.path() / "enc";
    std::string out;
    REQUIRE(
        run_command("ssh-keygen -q -t ed25519 -N 'sekrit' -f " + quote(key_path) + " </dev/null",
                    out) == 0);
    const auto enc = bc::parse_openssh_private_key(burrow::crypto::test::slurp(key_path));
    CHECK_FALSE(enc.loaded);
    CHECK(enc.error == bc::KeyFileError::encrypted);

    CHECK_FALSE(bc::parse_openssh_private_key("").loaded);
    CHECK_FALSE(bc::parse_openssh_private_key("-----BEGIN OPENSSH PRIVATE KEY-----\n!!\n"
                                              "-----END OPENSSH PRIVATE KEY-----\n")
                    .loaded);

    // Every truncation of a valid decoded file must be refused, not crash.
    auto rng = bc::make_seeded_rng(3);
    const auto key = bc::generate_ed25519(*rng);
    const std::string text = bc::write_openssh_private_key(*key, "c", *rng);
    const size_t b = text.find('\n') + 1;
    const size_t e = text.find("-----END");
    std::string b64;
    for (size_t i = b; i < e; ++i) {
        if (text[i] != '\n') {
            b64.push_back(text[i]);
        }
    }
    const auto body = bc::base64_decode(b64);
    REQUIRE(body);
    for (size_t n = 0; n < body->size(); ++n) {
        const std::string cut = "-----BEGIN OPENSSH PRIVATE KEY-----\n" +
                                bc::base64_encode({body->data(), n}) +
                                "\n-----END OPENSSH PRIVATE KEY-----\n";
        INFO("truncated to " << n);
        CHECK_FALSE(bc::parse_openssh_private_key(cut).loaded);
    }
    // A flipped byte in the private section (check ints, keys, padding) is refused.
    for (size_t i = body->size() - 40; i < body->size(); ++i) {
        Bytes bad = *body;
        bad[i] ^= 0x01;
        const std::string t = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + bc::base64_encode(bad) +
                              "\n-----END OPENSSH PRIVATE KEY-----\n";
        INFO("flipped " << i);
        const auto r = bc::parse_openssh_private_key(t);
        // The comment byte can change harmlessly; everything else must fail.
        if (r.loaded) {
            CHECK(r.loaded->comment != "c");
        }
    }
}

TEST_CASE("public key lines", "[crypto][keyfiles]")
{
    auto rng = bc::make_seeded_rng(4);
    const auto key = bc::generate_ed25519(*rng);
    const std::string line = bc::format_public_key_line(key->public_key(), "a b c");
    CHECK(line.rfind("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI", 0) == 0);
    const auto parsed = bc::parse_public_key_line("  " + line + "\r\n");
    REQUIRE(parsed);
    CHECK(parsed->comment == "a b c");
    CHECK(parsed->key->blob() == key->public_key().blob());

    const std::string bare = bc::format_public_key_line(key->public_key(), "");
    CHECK(bare.find(' ') == bare.rfind(' '));
    REQUIRE(bc::parse_public_key_line(bare));
    CHECK(bc::parse_public_key_line(bare)->comment.empty());

    CHECK_FALSE(bc::parse_public_key_line("ssh-rsa " + bare.substr(12)));
    CHECK_FALSE(bc::parse_public_key_line("ssh-ed25519"));
    CHECK_FALSE(bc::parse_public_key_line("ssh-ed25519 AAAA"));
    CHECK_FALSE(bc::parse_public_key_line(""));
}
