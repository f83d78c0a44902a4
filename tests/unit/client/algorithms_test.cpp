// Client algorithm options: -c/-m/-o list specs, -C, RekeyLimit, -Q lists,
// and host key algorithms ordered by what known_hosts holds.
#include <catch2/catch.hpp>

#include "client/algorithms.h"
#include "client/known_hosts.h"
#include "client/options.h"
#include "crypto/key_files.h"
#include "crypto/registry.h"

namespace client = burrow::client;
namespace crypto = burrow::crypto;
using client::CommandAction;
using V = std::vector<std::string>;

namespace {

client::ParseResult parse(std::vector<std::string> args)
{
    return client::parse_command_line(args);
}

client::Settings settings_of(std::vector<std::string> args)
{
    const auto parsed = parse(std::move(args));
    INFO(parsed.error);
    REQUIRE(parsed.action == CommandAction::run);
    return client::resolve_settings(parsed.config, "/home/me", "me");
}

client::AlgorithmSelection select(const client::Settings& s, const V& known = {})
{
    std::string error;
    const auto selection = client::select_algorithms(s, known, error);
    INFO(error);
    REQUIRE(selection);
    return *selection;
}

/// A key blob with just its type string (enough for known_hosts' type check).
std::string fake_key(const std::string& type)
{
    burrow::Bytes blob = {0, 0, 0, static_cast<uint8_t>(type.size())};
    blob.insert(blob.end(), type.begin(), type.end());
    blob.insert(blob.end(), {0, 0, 0, 1, 42});
    return type + " " + crypto::base64_encode(blob);
}

}  // namespace

TEST_CASE("-Q lists what the registry supports, one name per entry", "[client][algorithms]")
{
    CHECK(parse({"-Q", "cipher"}).action == CommandAction::query);
    CHECK(parse({"-Q", "cipher"}).query == "cipher");
    CHECK(parse({"-Qkex"}).query == "kex");
    CHECK(*client::query_algorithms("cipher") == crypto::supported_ciphers());
    CHECK(*client::query_algorithms("cipher-auth") == crypto::supported_aead_ciphers());
    CHECK(*client::query_algorithms("mac") == crypto::supported_macs());
    CHECK(*client::query_algorithms("kex") == crypto::supported_kex());
    CHECK(*client::query_algorithms("key") == crypto::supported_key_types());
    CHECK(*client::query_algorithms("key-plain") == crypto::supported_key_types());
    CHECK(*client::query_algorithms("sig") == crypto::supported_signature_algorithms());
    CHECK(*client::query_algorithms("KexAlgorithms") == crypto::supported_kex());
    CHECK(*client::query_algorithms("ciphers") == crypto::supported_ciphers());
    CHECK(*client::query_algorithms("HostKeyAlgorithms") ==
          crypto::supported_signature_algorithms());
    CHECK_FALSE(client::query_algorithms("bogus"));
    CHECK_FALSE(client::query_algorithms(""));
    CHECK(std::find(client::query_algorithms("sig")->begin(),
                    client::query_algorithms("sig")->end(),
                    "ssh-ed25519") != client::query_algorithms("sig")->end());
}

TEST_CASE("-c and -m take the list syntax and reject unknown names", "[client][algorithms]")
{
    const V& ciphers = crypto::supported_ciphers();
    REQUIRE(ciphers.size() >= 2);
    CHECK(select(settings_of({"-c", ciphers[1], "host"})).ciphers == V{ciphers[1]});
    CHECK(select(settings_of({"-c", "^" + ciphers.back(), "host"})).ciphers.front() ==
          ciphers.back());
    CHECK(select(settings_of({"-m", "-*", "host"})).macs.empty());
    CHECK(select(settings_of({"host"})).ciphers == crypto::default_ciphers());
    CHECK(select(settings_of({"host"})).macs == crypto::default_macs());
    CHECK(select(settings_of({"host"})).kex == crypto::default_kex(crypto::Side::client));

    const auto bad_cipher = parse({"-c", "blowfish-cbc", "host"});
    CHECK(bad_cipher.action == CommandAction::usage_error);
    CHECK_THAT(bad_cipher.error, Catch::Contains("blowfish-cbc"));
    const auto bad_mac = parse({"-m", "+hmac-md5", "host"});
    CHECK(bad_mac.action == CommandAction::usage_error);
    CHECK_THAT(bad_mac.error, Catch::Contains("hmac-md5"));
    CHECK(parse({"-c", "a,,b", "host"}).action == CommandAction::usage_error);
    CHECK(parse({"-c"}).action == CommandAction::usage_error);
}

TEST_CASE("-o algorithm keywords, RekeyLimit and Compression", "[client][algorithms]")
{
    const V& kex = crypto::supported_kex();
    const V& sigs = crypto::supported_signature_algorithms();
    const auto s =
        settings_of({"-o", "KexAlgorithms=" + kex.back(), "-o", "HostKeyAlgorithms " + sigs.front(),
                     "-o", "PubkeyAcceptedKeyTypes=" + sigs.front(), "-o", "RekeyLimit=1M 30s",
                     "-o", "Compression=yes", "host"});
    const auto sel = select(s, {"no-such-type"});
    CHECK(sel.kex == V{kex.back()});
    CHECK(sel.host_keys == V{sigs.front()});
    CHECK(sel.pubkeys == V{sigs.front()});
    CHECK(sel.compression == V{"zlib@openssh.com", "none"});
    CHECK(s.rekey_limit == crypto::RekeyLimit{1u << 20, std::chrono::seconds(30)});

    // -C is Compression yes; the default is no compression.
    CHECK(select(settings_of({"-C", "host"})).compression == V{"zlib@openssh.com", "none"});
    CHECK(select(settings_of({"host"})).compression == V{"none"});
    CHECK(select(settings_of({"-o", "Compression=no", "-C", "host"})).compression == V{"none"});
    CHECK(settings_of({"host"}).rekey_limit == crypto::RekeyLimit{});

    CHECK(parse({"-o", "MACs=hmac-md5", "h"}).action == CommandAction::usage_error);
    CHECK(parse({"-o", "KexAlgorithms=+nope", "h"}).action == CommandAction::usage_error);
    CHECK(parse({"-o", "HostKeyAlgorithms=ssh-dss", "h"}).action == CommandAction::usage_error);
    CHECK(parse({"-o", "PubkeyAcceptedAlgorithms=ssh-dss", "h"}).action ==
          CommandAction::usage_error);
    CHECK(parse({"-o", "RekeyLimit=1M soon", "h"}).action == CommandAction::usage_error);
    CHECK(parse({"-o", "RekeyLimit=1M 1h extra", "h"}).action == CommandAction::usage_error);
    CHECK(parse({"-o", "Compression=maybe", "h"}).action == CommandAction::usage_error);
}

TEST_CASE("host key algorithms: known key types first, in default order", "[client][algorithms]")
{
    const V defaults = {"ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp521", "rsa-sha2-512",
                        "rsa-sha2-256"};
    CHECK(client::order_host_key_algorithms(defaults, {}) == defaults);
    // A recorded RSA key: both RSA signature algorithms move to the front.
    CHECK(client::order_host_key_algorithms(defaults, {"ssh-rsa"}) ==
          V{"rsa-sha2-512", "rsa-sha2-256", "ssh-ed25519", "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp521"});
    CHECK(client::order_host_key_algorithms(defaults, {"ecdsa-sha2-nistp521", "ssh-rsa"}) ==
          V{"ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256", "ssh-ed25519",
            "ecdsa-sha2-nistp256"});
    CHECK(client::order_host_key_algorithms(defaults, {"ssh-ed25519"}) == defaults);
}

TEST_CASE("host key algorithms follow known_hosts unless configured", "[client][algorithms]")
{
    client::KnownHosts known;
    known.add_text("other.example " + fake_key("ssh-ed25519") + "\n" + "[host.example]:2222 " +
                       fake_key("ecdsa-sha2-nistp256") + "\n" + "host.example,alias " +
                       fake_key("ssh-rsa") + "\n" + "@revoked host.example " +
                       fake_key("ssh-ed25519") + "\n" + "*.example " + fake_key("ssh-rsa") + "\n",
                   "test");
    CHECK(known.key_types_for("host.example") == V{"ssh-rsa"});
    // Patterns see the "[host]:port" form off port 22, as in ssh(1).
    CHECK(known.key_types_for("[host.example]:2222") == V{"ecdsa-sha2-nistp256"});
    CHECK(known.key_types_for("x.example") == V{"ssh-rsa"});
    CHECK(known.key_types_for("unknown.org").empty());

    const V known_types = {"ecdsa-sha2-nistp256", "ssh-rsa"};
    const V defaults = crypto::default_host_key_algorithms();
    const V ordered = select(settings_of({"host"}), known_types).host_keys;
    CHECK(ordered == client::order_host_key_algorithms(defaults, known_types));
    REQUIRE(ordered.size() == defaults.size());
    // Whatever the registry offers, a known type's algorithms come first.
    bool seen_other = false;
    for (const std::string& alg : ordered) {
        const bool on_record = crypto::key_type_for_signature(alg) == "ssh-rsa" ||
                               crypto::key_type_for_signature(alg) == "ecdsa-sha2-nistp256";
        CHECK_FALSE((on_record && seen_other));
        seen_other = seen_other || !on_record;
    }
    // An explicit HostKeyAlgorithms is the user's choice: never reordered.
    const V& sigs = crypto::supported_signature_algorithms();
    const auto explicit_list =
        select(settings_of({"-o", "HostKeyAlgorithms=" + sigs.front(), "host"}), {"ssh-rsa"});
    CHECK(explicit_list.host_keys == V{sigs.front()});
}
