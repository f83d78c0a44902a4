// known_hosts parsing and lookup: plain, [host]:port, hashed (made by the
// real ssh-keygen -H), wildcards, negation, markers, changed keys, append.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "client/known_hosts.h"
#include "crypto/key_files.h"
#include "test_util.h"

namespace client = burrow::client;
namespace crypto = burrow::crypto;
using client::HostKeyStatus;
using client::test::TempDir;

namespace {

std::string key_text(const burrow::Bytes& blob)
{
    return client::key_type_of_blob(blob) + " " + crypto::base64_encode(blob);
}

HostKeyStatus status_of(const std::string& text, const std::string& name, const burrow::Bytes& blob)
{
    client::KnownHosts known;
    known.add_text(text, "test");
    return known.check(name, blob).status;
}

}  // namespace

TEST_CASE("known_hosts_name uses [host]:port only off port 22", "[client][known_hosts]")
{
    CHECK(client::known_hosts_name("example.com", 22) == "example.com");
    CHECK(client::known_hosts_name("example.com", 2222) == "[example.com]:2222");
    CHECK(client::known_hosts_name("::1", 2222) == "[::1]:2222");
}

TEST_CASE("plain entries match host lists and report the line", "[client][known_hosts]")
{
    const auto key = client::test::test_key_blob(1);
    const auto other = client::test::test_key_blob(2);
    const std::string text = "# comment\n\nalpha,beta " + key_text(other) + "\n" + "gamma,delta " +
                             key_text(key) + " a comment\n";
    client::KnownHosts known;
    known.add_text(text, "kh");
    CHECK(known.size() == 2);
    const auto found = known.check("delta", key);
    CHECK(found.status == HostKeyStatus::known);
    CHECK(found.file == "kh");
    CHECK(found.line == 4);
    CHECK(known.check("DELTA", key).status == HostKeyStatus::known);  // case-insensitive
    CHECK(known.check("epsilon", key).status == HostKeyStatus::unknown);
    CHECK(known.check("delt", key).status == HostKeyStatus::unknown);
}

TEST_CASE("port form entries match only that port", "[client][known_hosts]")
{
    const auto key = client::test::test_key_blob(3);
    const std::string text = "[host.example]:2222 " + key_text(key) + "\n";
    CHECK(status_of(text, "[host.example]:2222", key) == HostKeyStatus::known);
    CHECK(status_of(text, "host.example", key) == HostKeyStatus::unknown);
    CHECK(status_of(text, "[host.example]:2223", key) == HostKeyStatus::unknown);
}

TEST_CASE("wildcards and negation", "[client][known_hosts]")
{
    const auto key = client::test::test_key_blob(4);
    const std::string text = "*.example.com,!secret.example.com,host?.test " + key_text(key) + "\n";
    CHECK(status_of(text, "www.example.com", key) == HostKeyStatus::known);
    CHECK(status_of(text, "secret.example.com", key) == HostKeyStatus::unknown);
    CHECK(status_of(text, "host1.test", key) == HostKeyStatus::known);
    CHECK(status_of(text, "host12.test", key) == HostKeyStatus::unknown);
    CHECK(status_of(text, "example.com", key) == HostKeyStatus::unknown);
    // Port form with a wildcard inside the brackets.
    const std::string ported = "[*.lan]:2200 " + key_text(key) + "\n";
    CHECK(status_of(ported, "[box.lan]:2200", key) == HostKeyStatus::known);
    CHECK(status_of(ported, "box.lan", key) == HostKeyStatus::unknown);
}

TEST_CASE("a different key of the same type is a changed key", "[client][known_hosts]")
{
    const auto recorded = client::test::test_key_blob(5);
    const auto offered = client::test::test_key_blob(6);
    client::KnownHosts known;
    known.add_text("somehost " + key_text(recorded) + "\n", "kh");
    const auto lookup = known.check("somehost", offered);
    CHECK(lookup.status == HostKeyStatus::changed);
    CHECK(lookup.line == 1);
    CHECK(lookup.recorded_key == recorded);
    // Another line holding the offered key makes it known again.
    known.add_text("somehost " + key_text(offered) + "\n", "kh2");
    CHECK(known.check("somehost", offered).status == HostKeyStatus::known);
}

TEST_CASE("@revoked refuses the key, @cert-authority never vouches", "[client][known_hosts]")
{
    const auto key = client::test::test_key_blob(7);
    const std::string both = "@revoked * " + key_text(key) + "\nhost " + key_text(key) + "\n";
    CHECK(status_of(both, "host", key) == HostKeyStatus::revoked);
    const std::string ca = "@cert-authority host " + key_text(key) + "\n";
    CHECK(status_of(ca, "host", key) == HostKeyStatus::unknown);
    const std::string other_revoked =
        "@revoked * " + key_text(client::test::test_key_blob(8)) + "\nhost " + key_text(key);
    CHECK(status_of(other_revoked, "host", key) == HostKeyStatus::known);
}

TEST_CASE("malformed lines are ignored", "[client][known_hosts]")
{
    const auto key = client::test::test_key_blob(9);
    client::KnownHosts known;
    known.add_text("host ssh-rsa " + crypto::base64_encode(key) + "\n" +  // type mismatch
                       "host ssh-ed25519 !!!notbase64\n" + "host\n" + "@bogus host " +
                       key_text(key) + "\n",
                   "kh");
    CHECK(known.size() == 0);
}

TEST_CASE("hashed entries written by ssh-keygen -H match", "[client][known_hosts]")
{
    TempDir dir;
    const auto key = client::test::test_key_blob(10);
    const std::string file = dir.file("known_hosts");
    client::test::write_file(
        file, "plainhost " + key_text(key) + "\n[porthost]:2222 " + key_text(key) + "\n");
    const auto result = client::test::run_command(
        "ssh-keygen -q -H -f " + client::test::shell_quote(file) + " >/dev/null 2>&1");
    REQUIRE(result.status == 0);
    const std::string hashed = client::test::read_file(file);
    REQUIRE(hashed.find("|1|") == 0);
    REQUIRE(hashed.find("plainhost") == std::string::npos);

    client::KnownHosts known;
    REQUIRE(known.load_file(file));
    CHECK(known.check("plainhost", key).status == HostKeyStatus::known);
    CHECK(known.check("[porthost]:2222", key).status == HostKeyStatus::known);
    CHECK(known.check("porthost", key).status == HostKeyStatus::unknown);
    CHECK(known.check("otherhost", key).status == HostKeyStatus::unknown);
    CHECK(known.check("plainhost", client::test::test_key_blob(11)).status ==
          HostKeyStatus::changed);
}

TEST_CASE("append_known_host creates the directory and a matching line", "[client][known_hosts]")
{
    TempDir dir;
    const std::string file = dir.file("ssh/known_hosts");
    const auto key = client::test::test_key_blob(12);
    REQUIRE_FALSE(client::append_known_host(file, "[newhost]:2022", key));
    struct stat st {};
    REQUIRE(::stat(dir.file("ssh").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);

    // A file without a final newline keeps its last line intact.
    const std::string old_file = dir.file("kh_old");
    const auto other = client::test::test_key_blob(13);
    client::test::write_file(old_file, "oldhost " + key_text(other));
    REQUIRE_FALSE(client::append_known_host(old_file, "newhost", key));

    client::KnownHosts known;
    REQUIRE(known.load_file(file));
    REQUIRE(known.load_file(old_file));
    CHECK(known.check("[newhost]:2022", key).status == HostKeyStatus::known);
    CHECK(known.check("newhost", key).status == HostKeyStatus::known);
    CHECK(known.check("oldhost", other).status == HostKeyStatus::known);
    CHECK(client::test::read_file(file) == "[newhost]:2022 " + key_text(key) + "\n");

    // ssh-keygen -F finds what we wrote (the format is OpenSSH's).
    const auto found = client::test::run_command("ssh-keygen -F '[newhost]:2022' -f " +
                                                 client::test::shell_quote(file));
    CHECK(found.status == 0);
    CHECK(found.output.find(crypto::base64_encode(key)) != std::string::npos);
}
