// Algorithm names and factories: the single mapping from SSH names to code.
#include "crypto/registry.h"

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

const std::vector<std::string>& supported_macs()
{
    // Every supported cipher is an AEAD, so no separate MAC is offered.
    static const std::vector<std::string> names;
    return names;
}

const std::vector<std::string>& supported_signature_algorithms()
{
    static const std::vector<std::string> names = {"ssh-ed25519"};
    return names;
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

}  // namespace burrow::crypto
