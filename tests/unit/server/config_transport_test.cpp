// burrowd transport keywords: algorithm lists with +, -, ^, RekeyLimit,
// Compression, ModuliFile, and their defaults.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "crypto/registry.h"
#include "server/config.h"

namespace server = burrow::server;
namespace crypto = burrow::crypto;
using V = std::vector<std::string>;

namespace {

server::RawConfig parse(const std::string& text)
{
    server::ConfigParser parser;
    parser.apply_file_text(text, "test.conf");
    return parser.raw();
}

std::string error_of(const std::string& text)
{
    server::ConfigParser parser;
    try {
        parser.apply_file_text(text, "test.conf");
    } catch (const server::ConfigError& e) {
        return e.what();
    }
    return "";
}

server::ServerConfig resolve(const std::string& text)
{
    return server::resolve_config(server::Options{}, parse(text));
}

}  // namespace

TEST_CASE("transport config: defaults come from the registry", "[config][transport]")
{
    const server::ServerConfig c = resolve("");
    CHECK(c.ciphers == crypto::default_ciphers());
    CHECK(c.macs == crypto::default_macs());
    CHECK(c.kex_algorithms == crypto::default_kex(crypto::Side::server));
    CHECK(c.host_key_algorithms == crypto::default_host_key_algorithms());
    CHECK(c.pubkey_algorithms == crypto::default_pubkey_algorithms());
    // sshd_config(5): Compression defaults to yes (delayed: after auth only).
    CHECK(c.compression == V{"zlib@openssh.com", "none"});
    CHECK(c.rekey_limit == crypto::RekeyLimit{});
    CHECK(c.rekey_limit.interval == std::chrono::hours(1));
    CHECK_FALSE(c.moduli_file);
}

TEST_CASE("transport config: every list keyword takes the list syntax", "[config][transport]")
{
    const V& ciphers = crypto::supported_ciphers();
    REQUIRE(ciphers.size() >= 2);
    const std::string last = ciphers.back();

    CHECK(*parse("Ciphers " + last + "\n").ciphers == V{last});
    const V head = *parse("Ciphers ^" + last + "\n").ciphers;
    REQUIRE_FALSE(head.empty());
    CHECK(head.front() == last);
    CHECK(*parse("Ciphers -*\n").ciphers == V{});
    CHECK(*parse("MACs -*\n").macs == V{});

    const V& kex = crypto::supported_kex();
    CHECK(*parse("KexAlgorithms " + kex.front() + "\n").kex_algorithms == V{kex.front()});
    const V plus = *parse("KexAlgorithms +" + kex.back() + "\n").kex_algorithms;
    CHECK(plus.back() == kex.back());

    const V& sigs = crypto::supported_signature_algorithms();
    CHECK(*parse("HostKeyAlgorithms " + sigs.front() + "\n").host_key_algorithms ==
          V{sigs.front()});
    CHECK(*parse("PubkeyAcceptedAlgorithms " + sigs.front() + "\n").pubkey_algorithms ==
          V{sigs.front()});
    // The pre-8.5 name is an alias.
    CHECK(*parse("PubkeyAcceptedKeyTypes " + sigs.front() + "\n").pubkey_algorithms ==
          V{sigs.front()});
    // Resolved into the effective configuration.
    CHECK(resolve("Ciphers " + last + "\n").ciphers == V{last});
}

TEST_CASE("transport config: first value wins, -o first", "[config][transport]")
{
    const V& ciphers = crypto::supported_ciphers();
    REQUIRE(ciphers.size() >= 2);
    server::ConfigParser parser;
    parser.apply_override("Ciphers=" + ciphers[1], 1);
    parser.apply_override("RekeyLimit 1M 10m", 2);
    parser.apply_override("Compression no", 3);
    parser.apply_file_text("Ciphers " + ciphers[0] + "\nRekeyLimit 2G\nCompression yes\n", "f");
    CHECK(*parser.raw().ciphers == V{ciphers[1]});
    CHECK(*parser.raw().rekey_limit == crypto::RekeyLimit{1u << 20, std::chrono::minutes(10)});
    CHECK(*parser.raw().compression == V{"none"});
}

TEST_CASE("transport config: unknown algorithms are errors naming them", "[config][transport]")
{
    CHECK(error_of("Ciphers 3des-cbc\n") ==
          "test.conf:1: bad Ciphers list \"3des-cbc\": unsupported algorithm '3des-cbc'");
    CHECK_THAT(error_of("MACs +hmac-md5\n"), Catch::Contains("hmac-md5"));
    CHECK_THAT(error_of("KexAlgorithms ^diffie-hellman-group1-sha1\n"),
               Catch::Contains("diffie-hellman-group1-sha1"));
    CHECK_THAT(error_of("HostKeyAlgorithms ssh-dss\n"), Catch::Contains("ssh-dss"));
    CHECK_THAT(error_of("PubkeyAcceptedAlgorithms ssh-dss\n"), Catch::Contains("ssh-dss"));
    CHECK(error_of("Ciphers\n") == "test.conf:1: missing argument for \"Ciphers\"");
    CHECK(error_of("Ciphers a b\n") == "test.conf:1: too many arguments for \"Ciphers\"");
    // Removing an unknown name is harmless, as in OpenSSH.
    CHECK(error_of("Ciphers -3des-cbc\n").empty());
}

TEST_CASE("transport config: RekeyLimit", "[config][transport]")
{
    using std::chrono::seconds;
    CHECK(*parse("RekeyLimit 1M\n").rekey_limit ==
          crypto::RekeyLimit{1u << 20, crypto::default_rekey_interval});
    CHECK(*parse("RekeyLimit default 1h30m\n").rekey_limit == crypto::RekeyLimit{0, seconds(5400)});
    CHECK(*parse("RekeyLimit 4G none\n").rekey_limit == crypto::RekeyLimit{4ull << 30, seconds(0)});
    CHECK(*parse("RekeyLimit default default\n").rekey_limit == crypto::RekeyLimit{});
    const server::ServerConfig c = resolve("RekeyLimit 512K 90s\n");
    CHECK(c.rekey_limit.bytes == 512u * 1024u);
    CHECK(c.rekey_limit.interval == seconds(90));

    CHECK_THAT(error_of("RekeyLimit lots\n"), Catch::StartsWith("test.conf:1: "));
    CHECK_THAT(error_of("RekeyLimit 1M soon\n"), Catch::Contains("soon"));
    CHECK_THAT(error_of("RekeyLimit 1 1h\n"), Catch::Contains("too small"));
    CHECK_THAT(error_of("RekeyLimit\n"), Catch::StartsWith("test.conf:1: "));
}

TEST_CASE("transport config: Compression and ModuliFile", "[config][transport]")
{
    CHECK(*parse("Compression yes\n").compression == V{"zlib@openssh.com", "none"});
    CHECK(*parse("Compression delayed\n").compression == V{"zlib@openssh.com", "none"});
    CHECK(*parse("Compression NO\n").compression == V{"none"});
    CHECK(error_of("Compression maybe\n") ==
          "test.conf:1: unsupported option \"maybe\" for \"Compression\"");
    CHECK(resolve("ModuliFile /etc/my/moduli\n").moduli_file == "/etc/my/moduli");
}
