// The registry: supported and default algorithm lists, kex factories and
// hashes (issue B: strongest first; SHA-1 and, on the server, NIST-curve kex
// supported but not offered by default).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "crypto/packet_cipher.h"
#include "crypto/registry.h"

namespace bc = burrow::crypto;
using Names = std::vector<std::string>;

TEST_CASE("registry: key exchange lists, factories and hashes", "[crypto][kex][registry]")
{
    const Names all = {"curve25519-sha256",
                       "curve25519-sha256@libssh.org",
                       "ecdh-sha2-nistp256",
                       "ecdh-sha2-nistp384",
                       "ecdh-sha2-nistp521",
                       "diffie-hellman-group-exchange-sha256",
                       "diffie-hellman-group16-sha512",
                       "diffie-hellman-group18-sha512",
                       "diffie-hellman-group14-sha256",
                       "diffie-hellman-group14-sha1"};
    CHECK(bc::supported_kex() == all);
    CHECK(bc::default_kex(bc::Side::client) == Names(all.begin(), all.end() - 1));
    CHECK(bc::default_kex(bc::Side::server) ==
          Names{"curve25519-sha256", "curve25519-sha256@libssh.org",
                "diffie-hellman-group-exchange-sha256", "diffie-hellman-group16-sha512",
                "diffie-hellman-group18-sha512", "diffie-hellman-group14-sha256"});

    const std::pair<const char*, const char*> hashes[] = {
        {"curve25519-sha256", "SHA-256"},
        {"curve25519-sha256@libssh.org", "SHA-256"},
        {"ecdh-sha2-nistp256", "SHA-256"},
        {"ecdh-sha2-nistp384", "SHA-384"},
        {"ecdh-sha2-nistp521", "SHA-512"},
        {"diffie-hellman-group-exchange-sha256", "SHA-256"},
        {"diffie-hellman-group16-sha512", "SHA-512"},
        {"diffie-hellman-group18-sha512", "SHA-512"},
        {"diffie-hellman-group14-sha256", "SHA-256"},
        {"diffie-hellman-group14-sha1", "SHA-1"},
    };
    for (const auto& [name, hash] : hashes) {
        CAPTURE(name);
        CHECK(bc::kex_hash_name(name) == hash);
        const bool gex = bc::is_group_exchange(name);
        CHECK(gex == (std::string(name) == "diffie-hellman-group-exchange-sha256"));
        auto kex = bc::make_kex(name);
        CHECK((kex == nullptr) == gex);
        if (kex) {
            CHECK(kex->name() == name);
            CHECK(kex->hash_name() == hash);
            // The digest named by the hash exists.
            CHECK_FALSE(bc::digest(kex->hash_name(), {}).empty());
        }
    }
    CHECK(bc::make_kex("diffie-hellman-group1-sha1") == nullptr);
    CHECK(bc::make_kex("") == nullptr);
    CHECK(bc::kex_hash_name("diffie-hellman-group1-sha1").empty());
}

TEST_CASE("registry: cipher, MAC and key lists", "[crypto][registry]")
{
    CHECK(bc::supported_ciphers() == Names{"chacha20-poly1305@openssh.com",
                                           "aes128-gcm@openssh.com", "aes256-gcm@openssh.com",
                                           "aes128-ctr", "aes192-ctr", "aes256-ctr"});
    CHECK(bc::default_ciphers() == bc::supported_ciphers());
    CHECK(bc::supported_aead_ciphers() == Names{"chacha20-poly1305@openssh.com",
                                                "aes128-gcm@openssh.com",
                                                "aes256-gcm@openssh.com"});
    CHECK(bc::supported_macs() == Names{"hmac-sha2-256-etm@openssh.com",
                                        "hmac-sha2-512-etm@openssh.com", "hmac-sha2-256",
                                        "hmac-sha2-512", "hmac-sha1-etm@openssh.com", "hmac-sha1"});
    CHECK(bc::default_macs() == Names{"hmac-sha2-256-etm@openssh.com",
                                      "hmac-sha2-512-etm@openssh.com", "hmac-sha2-256",
                                      "hmac-sha2-512"});
    CHECK(bc::supported_key_types() == Names{"ssh-ed25519", "ecdsa-sha2-nistp256",
                                             "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
                                             "ssh-rsa"});
    const Names sigs = {"ssh-ed25519",         "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
                        "ecdsa-sha2-nistp521", "rsa-sha2-512",        "rsa-sha2-256"};
    Names all_sigs = sigs;
    all_sigs.emplace_back("ssh-rsa");
    CHECK(bc::supported_signature_algorithms() == all_sigs);
    CHECK(bc::default_host_key_algorithms() == sigs);
    CHECK(bc::default_pubkey_algorithms() == sigs);
}
