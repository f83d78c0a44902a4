// Private to crypto/: the encryption of the openssh-key-v1 private section
// (PROTOCOL.key): bcrypt_pbkdf derives cipher key and IV from the passphrase.
#pragma once

#include <botan/secmem.h>

#include <optional>
#include <string_view>

#include "crypto/bytes.h"

namespace burrow::crypto {

using SecureBytes = Botan::secure_vector<uint8_t>;

/// One private-section cipher as ssh-keygen names it.
struct KeyFileCipher {
    std::string_view name;
    size_t key_len;
    size_t iv_len;
    /// The private section is padded to a multiple of this (PROTOCOL.key).
    size_t block_size;
    /// AEAD tag appended after the encrypted string (0 for CTR).
    size_t tag_len;
};

/// The cipher called `name` ("aes256-ctr", "aes256-gcm@openssh.com"), or nullptr.
const KeyFileCipher* find_key_file_cipher(std::string_view name);

/// key || iv for `cipher` from the passphrase; nullopt if bcrypt_pbkdf refuses.
std::optional<SecureBytes> derive_key_file_secret(const KeyFileCipher& cipher,
                                                  const SecureBytes& passphrase, ByteView salt,
                                                  uint32_t rounds);

/// Decrypt `ciphertext` (followed by the tag for AEAD ciphers) with key || iv.
/// nullopt if an AEAD tag does not verify (wrong passphrase or damaged file).
std::optional<SecureBytes> decrypt_key_section(const KeyFileCipher& cipher,
                                               const SecureBytes& key_iv, ByteView ciphertext);

/// Encrypt `plaintext` with key || iv; the AEAD tag, if any, is appended.
Bytes encrypt_key_section(const KeyFileCipher& cipher, const SecureBytes& key_iv,
                          const SecureBytes& plaintext);

}  // namespace burrow::crypto
