#include "algorithm_cases.h"

namespace burrow::interop_test {
namespace {

/// Who offers an algorithm without being told to.
struct DefaultOffer {
    bool burrowd;
    bool sshd;
};

std::vector<std::string> unless(bool offered_by_default, const std::string& option)
{
    if (offered_by_default) {
        return {};
    }
    return {option};
}

AlgorithmCase kex_case(const std::string& name, DefaultOffer offer)
{
    const std::string option = "KexAlgorithms=" + name;
    return {"kex " + name,
            {"-o", option},
            unless(offer.burrowd, option),
            unless(offer.sshd, option),
            {"kex: algorithm: " + name}};
}

AlgorithmCase aead_case(const std::string& cipher)
{
    return {"cipher " + cipher,
            {"-c", cipher},
            {},
            {},
            {"client->server cipher: " + cipher + " MAC: <implicit>",
             "server->client cipher: " + cipher + " MAC: <implicit>"}};
}

AlgorithmCase mac_case(const std::string& cipher, const std::string& mac, DefaultOffer offer)
{
    const std::string option = "MACs=" + mac;
    return {"cipher " + cipher + " mac " + mac,
            {"-c", cipher, "-m", mac},
            unless(offer.burrowd, option),
            unless(offer.sshd, option),
            {"client->server cipher: " + cipher + " MAC: " + mac,
             "server->client cipher: " + cipher + " MAC: " + mac}};
}

}  // namespace

const std::vector<Direction>& both_directions()
{
    static const std::vector<Direction> directions{
        {ClientKind::openssh, ServerKind::burrowd},
        {ClientKind::burrow, ServerKind::openssh},
    };
    return directions;
}

std::string name_of(const Direction& direction)
{
    return std::string(name_of(direction.client)) + " -> " + name_of(direction.server);
}

std::vector<AlgorithmCase> kex_cases()
{
    // burrowd does not offer the NIST curves or SHA-1 by default (issue B "Default offer");
    // sshd 9.2 offers all of these except group14-sha1.
    return {
        kex_case("curve25519-sha256", {true, true}),
        kex_case("curve25519-sha256@libssh.org", {true, true}),
        kex_case("ecdh-sha2-nistp256", {false, true}),
        kex_case("ecdh-sha2-nistp384", {false, true}),
        kex_case("ecdh-sha2-nistp521", {false, true}),
        kex_case("diffie-hellman-group14-sha256", {true, true}),
        kex_case("diffie-hellman-group16-sha512", {true, true}),
        kex_case("diffie-hellman-group18-sha512", {true, true}),
        kex_case("diffie-hellman-group-exchange-sha256", {true, true}),
        kex_case("diffie-hellman-group14-sha1", {false, false}),
    };
}

std::vector<AlgorithmCase> cipher_mac_cases()
{
    std::vector<AlgorithmCase> cases{
        aead_case("chacha20-poly1305@openssh.com"),
        aead_case("aes128-gcm@openssh.com"),
        aead_case("aes256-gcm@openssh.com"),
    };
    // The SHA-2 MACs are in both default offers; the SHA-1 ones only in sshd's.
    const std::vector<std::pair<std::string, DefaultOffer>> macs{
        {"hmac-sha2-256", {true, true}},
        {"hmac-sha2-512", {true, true}},
        {"hmac-sha2-256-etm@openssh.com", {true, true}},
        {"hmac-sha2-512-etm@openssh.com", {true, true}},
        {"hmac-sha1", {false, true}},
        {"hmac-sha1-etm@openssh.com", {false, true}},
    };
    for (const std::string cipher : {"aes128-ctr", "aes192-ctr", "aes256-ctr"}) {
        for (const auto& [mac, offer] : macs) {
            cases.push_back(mac_case(cipher, mac, offer));
        }
    }
    return cases;
}

const std::vector<KeyTypeCase>& key_type_cases()
{
    static const std::vector<KeyTypeCase> cases{
        {"ed25519", 0, "ssh-ed25519"},         {"ecdsa", 256, "ecdsa-sha2-nistp256"},
        {"ecdsa", 384, "ecdsa-sha2-nistp384"}, {"ecdsa", 521, "ecdsa-sha2-nistp521"},
        {"rsa", 3072, "rsa-sha2-512"},         {"rsa", 3072, "rsa-sha2-256"},
    };
    return cases;
}

const std::vector<std::string>& server_options(const AlgorithmCase& algorithm,
                                               const Direction& direction)
{
    return direction.server == ServerKind::burrowd ? algorithm.burrowd_options
                                                   : algorithm.sshd_options;
}

}  // namespace burrow::interop_test
