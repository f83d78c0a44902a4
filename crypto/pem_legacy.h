// Legacy OpenSSL-encrypted PEM private keys ("Proc-Type: 4,ENCRYPTED" and
// "DEK-Info: <cipher>,<iv hex>" headers, RFC 1421 §4.6), as `ssh-keygen -m PEM
// -N passphrase` writes RSA and ECDSA keys. Internal to crypto/.
#pragma once

#include <botan/secmem.h>

#include <optional>
#include <string_view>

namespace burrow::crypto {

/// Does this PEM text carry RFC 1421 encapsulated headers (Proc-Type)?
bool is_legacy_encrypted_pem(std::string_view text);

/// The DER body of a legacy-encrypted PEM, decrypted with `passphrase`:
/// the key is OpenSSL's EVP_BytesToKey (MD5, one iteration, salt = the first
/// 8 bytes of the IV). Ciphers: AES-128-CBC, AES-192-CBC, AES-256-CBC,
/// DES-EDE3-CBC. nullopt if the headers are malformed, the cipher is unknown
/// or the padding does not check out (a wrong passphrase, mostly).
std::optional<Botan::secure_vector<uint8_t>> decrypt_legacy_pem(std::string_view text,
                                                                std::string_view passphrase);

}  // namespace burrow::crypto
