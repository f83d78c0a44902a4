// Key-type tables, dispatch to the key families, and fingerprints.
#include "crypto/keys.h"

#include <botan/base64.h>
#include <botan/hash.h>

#include "crypto/key_impl.h"

namespace burrow::crypto {

std::vector<std::string> signature_algorithms_for(std::string_view key_type)
{
    if (key_type == ed25519_name || is_ecdsa_key_type(key_type)) {
        // RFC 8709 §6, RFC 5656 §3.1.2: one algorithm, named like the key.
        return {std::string(key_type)};
    }
    if (key_type == rsa_name) {
        // RFC 8332: SHA-2 first; SHA-1 "ssh-rsa" last (policy may drop it).
        return {"rsa-sha2-512", "rsa-sha2-256", std::string(rsa_name)};
    }
    return {};
}

std::string key_type_for_signature(std::string_view sig_alg)
{
    if (sig_alg == ed25519_name || is_ecdsa_key_type(sig_alg)) {
        return std::string(sig_alg);
    }
    if (sig_alg == "rsa-sha2-512" || sig_alg == "rsa-sha2-256" || sig_alg == rsa_name) {
        return std::string(rsa_name);
    }
    return {};
}

std::optional<ByteView> parse_signature_blob(std::string_view sig_alg, ByteView blob)
{
    WireReader r(blob);
    const auto alg = r.string();
    const auto sig = r.string();
    if (!alg || !sig || !r.empty() || to_string(*alg) != sig_alg) {
        return std::nullopt;
    }
    return sig;
}

std::unique_ptr<PublicKey> parse_public_key_blob(ByteView blob)
{
    WireReader r(blob);
    const auto type = r.string();
    if (!type) {
        return nullptr;
    }
    const std::string name = to_string(*type);
    if (name == ed25519_name) {
        return parse_ed25519_public_blob(blob);
    }
    if (is_ecdsa_key_type(name)) {
        return parse_ecdsa_public_blob(blob);
    }
    if (name == rsa_name) {
        return parse_rsa_public_blob(blob);
    }
    return nullptr;
}

std::unique_ptr<PrivateKey> generate_key(std::string_view key_type, size_t bits, Rng& rng)
{
    if (key_type == ed25519_name) {
        return generate_ed25519(rng);
    }
    if (is_ecdsa_key_type(key_type)) {
        return generate_ecdsa(key_type, rng);  // the curve fixes the size
    }
    if (key_type == rsa_name) {
        return generate_rsa(bits, rng);
    }
    return nullptr;
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
