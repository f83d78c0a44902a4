// Key-type tables and fingerprints.
#include "crypto/keys.h"

#include <botan/base64.h>
#include <botan/hash.h>

#include "crypto/key_impl.h"

namespace burrow::crypto {

std::vector<std::string> signature_algorithms_for(std::string_view key_type)
{
    if (key_type == ed25519_name) {
        return {std::string(ed25519_name)};
    }
    return {};
}

std::string key_type_for_signature(std::string_view sig_alg)
{
    if (sig_alg == ed25519_name) {
        return std::string(ed25519_name);
    }
    return {};
}

std::string fingerprint_sha256(ByteView blob)
{
    const auto hash = Botan::HashFunction::create_or_throw("SHA-256");
    hash->update(blob.data(), blob.size());
    const auto digest = hash->final();
    // ssh-keygen prints the base64 digest without its '=' padding.
    std::string b64 = Botan::base64_encode(digest.data(), digest.size());
    while (!b64.empty() && b64.back() == '=') {
        b64.pop_back();
    }
    return "SHA256:" + b64;
}

}  // namespace burrow::crypto

namespace burrow::crypto {

std::unique_ptr<PrivateKey> generate_key(std::string_view key_type, size_t, Rng& rng)
{
    if (key_type == "ssh-ed25519") {
        return generate_ed25519(rng);
    }
    return nullptr;
}

}  // namespace burrow::crypto
