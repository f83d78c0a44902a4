// burrow-keygen against the real ssh-keygen, both directions. The binary's
// path comes from $BURROW_KEYGEN (set by meson's test()).
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cstdlib>

#include "test_util.h"

using burrow::client::test::keygen;
using burrow::client::test::read_file;
using burrow::client::test::run_command;
using burrow::client::test::shell_quote;
using burrow::client::test::TempDir;

namespace {

unsigned mode_of(const std::string& path)
{
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

}  // namespace

TEST_CASE("ssh-keygen reads what burrow-keygen writes", "[client][keygen]")
{
    TempDir dir;
    const std::string key = dir.file("id_test");
    const auto made =
        run_command(keygen() + " -q -t ed25519 -N '' -C 'burrow comment' -f " + shell_quote(key));
    REQUIRE(made.status == 0);
    CHECK(mode_of(key) == 0600);
    CHECK(mode_of(key + ".pub") == 0644);

    const auto ssh_l = run_command("ssh-keygen -l -f " + shell_quote(key));
    REQUIRE(ssh_l.status == 0);
    CHECK(ssh_l.output.find("256 SHA256:") == 0);
    CHECK(ssh_l.output.find("burrow comment (ED25519)") != std::string::npos);
    const auto ours_l = run_command(keygen() + " -l -f " + shell_quote(key));
    CHECK(ours_l.status == 0);
    CHECK(ours_l.output == ssh_l.output);
    const auto ours_pub_l = run_command(keygen() + " -l -f " + shell_quote(key + ".pub"));
    CHECK(ours_pub_l.output == ssh_l.output);

    // ssh-keygen -y derives the public key from our private file.
    const auto ssh_y = run_command("ssh-keygen -y -f " + shell_quote(key));
    REQUIRE(ssh_y.status == 0);
    CHECK(ssh_y.output == read_file(key + ".pub"));
}

TEST_CASE("burrow-keygen reads what ssh-keygen writes", "[client][keygen]")
{
    TempDir dir;
    const std::string key = dir.file("id_ssh");
    REQUIRE(
        run_command("ssh-keygen -q -t ed25519 -N '' -C 'from ssh' -f " + shell_quote(key)).status ==
        0);
    const auto ssh_l = run_command("ssh-keygen -l -f " + shell_quote(key));
    const auto ours_l = run_command(keygen() + " -l -f " + shell_quote(key));
    CHECK(ours_l.status == 0);
    CHECK(ours_l.output == ssh_l.output);
    const auto ssh_y = run_command("ssh-keygen -y -f " + shell_quote(key));
    const auto ours_y = run_command(keygen() + " -y -f " + shell_quote(key));
    CHECK(ours_y.status == 0);
    CHECK(ours_y.output == ssh_y.output);

    // RSA public keys: fingerprint and modulus size without RSA support.
    const std::string rsa = dir.file("id_rsa");
    REQUIRE(run_command("ssh-keygen -q -t rsa -b 2048 -N '' -C r -f " + shell_quote(rsa)).status ==
            0);
    const auto ssh_rsa = run_command("ssh-keygen -l -f " + shell_quote(rsa + ".pub"));
    const auto ours_rsa = run_command(keygen() + " -l -f " + shell_quote(rsa + ".pub"));
    CHECK(ours_rsa.output == ssh_rsa.output);
    CHECK(ours_rsa.output.find("2048 SHA256:") == 0);
}

TEST_CASE("burrow-keygen refuses to overwrite", "[client][keygen]")
{
    TempDir dir;
    const std::string key = dir.file("k");
    REQUIRE(run_command(keygen() + " -q -N '' -f " + shell_quote(key)).status == 0);
    const std::string before = read_file(key);
    CHECK(run_command(keygen() + " -q -N '' -f " + shell_quote(key) + " 2>/dev/null").status == 1);
    CHECK(read_file(key) == before);

    CHECK(run_command(keygen() + " -l -f " + shell_quote(dir.file("missing")) + " 2>/dev/null")
              .status != 0);
}

TEST_CASE("burrow-keygen -t ecdsa|rsa with -b: ssh-keygen agrees", "[client][keygen]")
{
    TempDir dir;
    const struct {
        const char* args;
        const char* bits;
        const char* type;
    } cases[] = {
        {"-t ecdsa", "256", "(ECDSA)"},        {"-t ecdsa -b 384", "384", "(ECDSA)"},
        {"-t ECDSA -b 521", "521", "(ECDSA)"}, {"-t rsa -b 2048", "2048", "(RSA)"},
        {"-t rsa", "3072", "(RSA)"},
    };
    int n = 0;
    for (const auto& c : cases) {
        INFO(c.args);
        const std::string key = dir.file("id_" + std::to_string(n++));
        REQUIRE(
            run_command(keygen() + " -q -N '' -C k " + c.args + " -f " + shell_quote(key)).status ==
            0);
        const auto ssh_l = run_command("ssh-keygen -l -f " + shell_quote(key));
        REQUIRE(ssh_l.status == 0);
        CHECK(ssh_l.output.find(std::string(c.bits) + " SHA256:") == 0);
        CHECK(ssh_l.output.find(std::string("k ") + c.type) != std::string::npos);
        CHECK(run_command(keygen() + " -l -f " + shell_quote(key)).output == ssh_l.output);
        const auto ssh_y = run_command("ssh-keygen -y -f " + shell_quote(key));
        REQUIRE(ssh_y.status == 0);
        CHECK(ssh_y.output == read_file(key + ".pub"));
    }
    // Sizes ssh-keygen would refuse, and unknown types.
    for (const char* bad : {"-t ecdsa -b 300", "-t rsa -b 1024", "-t dsa", "-t rsa -b x"}) {
        INFO(bad);
        CHECK(run_command(keygen() + " -q -N '' " + bad + " -f " + shell_quote(dir.file("bad")) +
                          " 2>/dev/null")
                  .status == 1);
    }
}
