// Passphrase-protected identities: the public key is known without asking,
// the passphrase is asked (here through SSH_ASKPASS) only at the first
// signature, up to three times, and the decrypted key is kept.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdlib>

#include "client/identity.h"
#include "crypto/key_files.h"
#include "test_util.h"

namespace bcl = burrow::client;
namespace bc = burrow::crypto;
using bcl::test::read_file;
using bcl::test::run_command;
using bcl::test::shell_quote;

using bcl::test::EnvVar;

namespace {

/// An askpass that logs each prompt to `log` and answers "wrong" first, then `answer`.
std::string make_askpass(const bcl::test::TempDir& dir, const std::string& answer)
{
    const std::string path = dir.file("askpass");
    const std::string log = dir.file("asked");
    bcl::test::write_file(path,
                          "#!/bin/sh\n"
                          "echo \"$1\" >> " +
                              shell_quote(log) +
                              "\n"
                              "if [ $(wc -l < " +
                              shell_quote(log) +
                              ") -eq 1 ]; then echo wrong; "
                              "else echo " +
                              shell_quote(answer) + "; fi\n");
    ::chmod(path.c_str(), 0700);
    return path;
}

size_t prompts_seen(const bcl::test::TempDir& dir)
{
    const std::string text = read_file(dir.file("asked"));
    size_t n = 0;
    for (const char c : text) {
        n += c == '\n' ? 1 : 0;
    }
    return n;
}

}  // namespace

TEST_CASE("an encrypted identity asks for its passphrase only when signing", "[identity]")
{
    bcl::test::TempDir dir;
    const std::string key = dir.file("id_ed25519");
    REQUIRE(run_command("ssh-keygen -q -t ed25519 -a 4 -N 'right one' -C c -f " + shell_quote(key))
                .status == 0);
    EnvVar askpass("SSH_ASKPASS", make_askpass(dir, "right one"));
    EnvVar require("SSH_ASKPASS_REQUIRE", "force");
    const bcl::Logger log(bcl::LogLevel::quiet);

    const auto ids = bcl::load_identities({key}, log, bcl::PromptPolicy{});
    REQUIRE(ids.size() == 1);
    const auto pub = bc::parse_public_key_line(read_file(key + ".pub"));
    REQUIRE(pub);
    CHECK(ids[0].key->public_key().blob() == pub->key->blob());
    CHECK(ids[0].key->key_type() == "ssh-ed25519");
    CHECK(prompts_seen(dir) == 0);

    auto rng = bc::make_system_rng();
    const burrow::Bytes data{1, 2, 3};
    const burrow::Bytes sig = ids[0].key->sign("ssh-ed25519", data, *rng);
    CHECK(prompts_seen(dir) == 2);  // "wrong", then the right passphrase
    CHECK(read_file(dir.file("asked")).find("Enter passphrase for key '" + key + "': ") == 0);
    CHECK(pub->key->verify("ssh-ed25519", data, sig));
    // Cached: no more prompts.
    CHECK(pub->key->verify("ssh-ed25519", data, ids[0].key->sign("ssh-ed25519", data, *rng)));
    CHECK(prompts_seen(dir) == 2);
}

TEST_CASE("three wrong passphrases give up on the key for good", "[identity]")
{
    bcl::test::TempDir dir;
    const std::string key = dir.file("id_ecdsa");
    REQUIRE(
        run_command("ssh-keygen -q -t ecdsa -a 4 -N 'right one' -f " + shell_quote(key)).status ==
        0);
    EnvVar askpass("SSH_ASKPASS", make_askpass(dir, "still wrong"));
    EnvVar require("SSH_ASKPASS_REQUIRE", "force");
    const bcl::Logger log(bcl::LogLevel::quiet);
    const auto ids = bcl::load_identities({key}, log, bcl::PromptPolicy{});
    REQUIRE(ids.size() == 1);
    auto rng = bc::make_system_rng();
    const burrow::Bytes data{1};
    CHECK(ids[0].key->sign("ecdsa-sha2-nistp256", data, *rng).empty());
    CHECK(prompts_seen(dir) == 3);
    CHECK(ids[0].key->sign("ecdsa-sha2-nistp256", data, *rng).empty());
    CHECK(prompts_seen(dir) == 3);
}

TEST_CASE("BatchMode never prompts for a passphrase", "[identity]")
{
    bcl::test::TempDir dir;
    const std::string key = dir.file("id");
    REQUIRE(run_command("ssh-keygen -q -t ed25519 -a 4 -N pw -f " + shell_quote(key)).status == 0);
    EnvVar askpass("SSH_ASKPASS", make_askpass(dir, "pw"));
    EnvVar require("SSH_ASKPASS_REQUIRE", "force");
    const bcl::Logger log(bcl::LogLevel::quiet);
    bcl::PromptPolicy batch;
    batch.batch_mode = true;
    const auto ids = bcl::load_identities({key}, log, batch);
    REQUIRE(ids.size() == 1);
    auto rng = bc::make_system_rng();
    CHECK(ids[0].key->sign("ssh-ed25519", burrow::Bytes{1}, *rng).empty());
    CHECK(prompts_seen(dir) == 0);
}

TEST_CASE("PEM identities: plain ones load, encrypted PKCS#8 uses the .pub file", "[identity]")
{
    bcl::test::TempDir dir;
    const std::string plain = dir.file("id_rsa");
    const std::string enc = dir.file("id_ecdsa");
    REQUIRE(
        run_command("ssh-keygen -q -t rsa -b 2048 -m PEM -N '' -f " + shell_quote(plain)).status ==
        0);
    REQUIRE(
        run_command("ssh-keygen -q -t ecdsa -m PKCS8 -N 'pw8pkcs' -f " + shell_quote(enc)).status ==
        0);
    EnvVar askpass("SSH_ASKPASS", make_askpass(dir, "pw8pkcs"));
    EnvVar require("SSH_ASKPASS_REQUIRE", "force");
    const bcl::Logger log(bcl::LogLevel::quiet);
    const auto ids = bcl::load_identities({plain, enc}, log, bcl::PromptPolicy{});
    REQUIRE(ids.size() == 2);
    CHECK(ids[0].key->key_type() == "ssh-rsa");
    CHECK(ids[1].key->key_type() == "ecdsa-sha2-nistp256");
    CHECK(prompts_seen(dir) == 0);
    auto rng = bc::make_system_rng();
    const burrow::Bytes data{4, 2};
    const auto pub = bc::parse_public_key_line(read_file(enc + ".pub"));
    REQUIRE(pub);
    CHECK(pub->key->verify("ecdsa-sha2-nistp256", data,
                           ids[1].key->sign("ecdsa-sha2-nistp256", data, *rng)));
    CHECK(prompts_seen(dir) == 2);
}
