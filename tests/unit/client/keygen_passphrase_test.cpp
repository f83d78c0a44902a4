// burrow-keygen -N / -p / -a / -E md5, checked with the real ssh-keygen.
#include <catch2/catch.hpp>
#include <cstdlib>

#include "test_util.h"

using burrow::client::test::keygen;
using burrow::client::test::read_file;
using burrow::client::test::run_command;
using burrow::client::test::shell_quote;
using burrow::client::test::TempDir;

namespace {

/// "type base64" of a public key line.
std::string key_part(const std::string& line)
{
    const size_t first = line.find(' ');
    const size_t second = line.find_first_of(" \n", first + 1);
    return line.substr(0, second);
}

}  // namespace

TEST_CASE("burrow-keygen -N writes keys ssh-keygen decrypts", "[client][keygen]")
{
    for (const char* type : {"ed25519", "ecdsa", "rsa"}) {
        DYNAMIC_SECTION(type)
        {
            TempDir dir;
            const std::string key = dir.file("k");
            REQUIRE(run_command(keygen() + " -q -t " + type + " -a 4 -N 'the pass' -f " +
                                shell_quote(key) + " </dev/null")
                        .status == 0);
            const std::string pub = key_part(read_file(key + ".pub"));
            const auto ok = run_command("ssh-keygen -y -P 'the pass' -f " + shell_quote(key));
            REQUIRE(ok.status == 0);
            CHECK(key_part(ok.output) == pub);
            CHECK(run_command("ssh-keygen -y -P 'other' -f " + shell_quote(key) + " 2>/dev/null")
                      .status != 0);
            // And we read it back with -y -P, refusing the wrong passphrase.
            const auto ours = run_command(keygen() + " -y -P 'the pass' -f " + shell_quote(key));
            REQUIRE(ours.status == 0);
            CHECK(key_part(ours.output) == pub);
            CHECK(run_command(keygen() + " -y -P 'other' -f " + shell_quote(key) +
                              " 2>/dev/null </dev/null")
                      .status != 0);
        }
    }
}

TEST_CASE("burrow-keygen -p changes the passphrase of an ssh-keygen key", "[client][keygen]")
{
    TempDir dir;
    const std::string key = dir.file("k");
    REQUIRE(
        run_command("ssh-keygen -q -t ed25519 -N 'old pass' -C c -f " + shell_quote(key)).status ==
        0);
    const std::string pub = key_part(read_file(key + ".pub"));
    // Wrong old passphrase: refused, file untouched.
    const std::string before = read_file(key);
    CHECK(run_command(keygen() + " -p -P 'nope' -N 'new pass' -f " + shell_quote(key) +
                      " 2>/dev/null </dev/null")
              .status != 0);
    CHECK(read_file(key) == before);

    REQUIRE(run_command(keygen() + " -p -P 'old pass' -N 'new pass' -a 4 -f " + shell_quote(key) +
                        " </dev/null")
                .status == 0);
    const auto now = run_command("ssh-keygen -y -P 'new pass' -f " + shell_quote(key));
    REQUIRE(now.status == 0);
    CHECK(key_part(now.output) == pub);
    CHECK(now.output.find(" c\n") != std::string::npos);  // the comment is kept
    CHECK(
        run_command("ssh-keygen -y -P 'old pass' -f " + shell_quote(key) + " 2>/dev/null").status !=
        0);

    // An empty new passphrase removes the encryption.
    REQUIRE(run_command(keygen() + " -p -P 'new pass' -N '' -f " + shell_quote(key) + " </dev/null")
                .status == 0);
    CHECK(read_file(key).find("-----BEGIN OPENSSH PRIVATE KEY-----") == 0);
    CHECK(key_part(run_command("ssh-keygen -y -P '' -f " + shell_quote(key)).output) == pub);
}

TEST_CASE("burrow-keygen -l -E md5 matches ssh-keygen", "[client][keygen]")
{
    TempDir dir;
    const std::string key = dir.file("k");
    REQUIRE(run_command("ssh-keygen -q -t ecdsa -N '' -C mine -f " + shell_quote(key)).status == 0);
    const auto theirs = run_command("ssh-keygen -l -E md5 -f " + shell_quote(key + ".pub"));
    const auto ours = run_command(keygen() + " -l -E md5 -f " + shell_quote(key + ".pub"));
    REQUIRE(ours.status == 0);
    CHECK(ours.output == theirs.output);
    CHECK(ours.output.find("256 MD5:") == 0);
    CHECK(run_command(keygen() + " -l -E sha1 -f " + shell_quote(key) + " 2>/dev/null").status !=
          0);
}
