// Algorithm names and factories: the single mapping from SSH names to code,
// and the default offers (strongest first, like OpenSSH 9.x).
#include "crypto/registry.h"

#include <algorithm>

#include "crypto/curve25519_kex.h"

namespace burrow::crypto {

const std::vector<std::string>& supported_kex()
{
    static const std::vector<std::string> names = {"curve25519-sha256",
                                                   "curve25519-sha256@libssh.org"};
    return names;
}

const std::vector<std::string>& supported_ciphers()
{
    static const std::vector<std::string> names = {
        "chacha20-poly1305@openssh.com", "aes128-gcm@openssh.com", "aes256-gcm@openssh.com"};
    return names;
}

const std::vector<std::string>& supported_aead_ciphers()
{
    return supported_ciphers();
}

const std::vector<std::string>& supported_macs()
{
    // Every supported cipher is an AEAD, so no separate MAC is offered.
    static const std::vector<std::string> names;
    return names;
}

const std::vector<std::string>& supported_key_types()
{
    static const std::vector<std::string> names = {"ssh-ed25519"};
    return names;
}

const std::vector<std::string>& supported_signature_algorithms()
{
    static const std::vector<std::string> names = {"ssh-ed25519"};
    return names;
}

std::vector<std::string> default_kex(Side)
{
    return supported_kex();
}

std::vector<std::string> default_ciphers()
{
    return supported_ciphers();
}

std::vector<std::string> default_macs()
{
    return supported_macs();
}

std::vector<std::string> default_host_key_algorithms()
{
    return supported_signature_algorithms();
}

std::vector<std::string> default_pubkey_algorithms()
{
    return supported_signature_algorithms();
}

std::unique_ptr<KexMethod> make_kex(std::string_view name)
{
    for (const auto& known : supported_kex()) {
        if (known == name) {
            return make_curve25519_kex(known);
        }
    }
    return nullptr;
}

bool is_group_exchange(std::string_view name)
{
    return name.rfind("diffie-hellman-group-exchange-", 0) == 0;
}

std::string kex_hash_name(std::string_view name)
{
    const auto& all = supported_kex();
    return std::find(all.begin(), all.end(), name) != all.end() ? "SHA-256" : "";
}

}  // namespace burrow::crypto
