// bcrypt_pbkdf and the private-section ciphers of openssh-key-v1 files.
#include "crypto/key_file_cipher.h"

#include <botan/aead.h>
#include <botan/exceptn.h>
#include <botan/pwdhash.h>
#include <botan/stream_cipher.h>

#include <array>

#include "crypto/bcrypt_pbkdf.h"

namespace burrow::crypto {
namespace {

// The ciphers ssh-keygen writes: aes256-ctr is its default, the GCM variant
// (RFC 5647 style AEAD, 12-byte nonce, 16-byte tag) is selectable with -Z.
constexpr std::array<KeyFileCipher, 2> ciphers{{
    {"aes256-ctr", 32, 16, 16, 0},
    {"aes256-gcm@openssh.com", 32, 12, 16, 16},
}};

/// bcrypt_pbkdf into `out`; false if Botan refuses the parameters.
bool derive(ByteView passphrase, ByteView salt, uint32_t rounds, uint8_t* out, size_t length)
{
    if (rounds == 0 || passphrase.empty() || salt.empty()) {
        return false;
    }
    try {
        const auto family = Botan::PasswordHashFamily::create_or_throw("Bcrypt-PBKDF");
        const auto hash = family->from_params(rounds);
        hash->derive_key(out, length, reinterpret_cast<const char*>(passphrase.data()),
                         passphrase.size(), salt.data(), salt.size());
        return true;
    } catch (const Botan::Exception&) {
        return false;
    }
}

ByteView view(const SecureBytes& b)
{
    return {b.data(), b.size()};
}

}  // namespace

std::optional<Bytes> bcrypt_pbkdf(ByteView passphrase, ByteView salt, uint32_t rounds,
                                  size_t length)
{
    Bytes out(length);
    if (!derive(passphrase, salt, rounds, out.data(), out.size())) {
        return std::nullopt;
    }
    return out;
}

const KeyFileCipher* find_key_file_cipher(std::string_view name)
{
    for (const KeyFileCipher& c : ciphers) {
        if (c.name == name) {
            return &c;
        }
    }
    return nullptr;
}

std::optional<SecureBytes> derive_key_file_secret(const KeyFileCipher& cipher,
                                                  const SecureBytes& passphrase, ByteView salt,
                                                  uint32_t rounds)
{
    SecureBytes out(cipher.key_len + cipher.iv_len);
    if (!derive(view(passphrase), salt, rounds, out.data(), out.size())) {
        return std::nullopt;
    }
    return out;
}

std::optional<SecureBytes> decrypt_key_section(const KeyFileCipher& cipher,
                                               const SecureBytes& key_iv, ByteView ciphertext)
{
    const uint8_t* key = key_iv.data();
    const uint8_t* iv = key_iv.data() + cipher.key_len;
    SecureBytes data(ciphertext.begin(), ciphertext.end());
    if (cipher.tag_len == 0) {
        const auto ctr = Botan::StreamCipher::create_or_throw("CTR-BE(AES-256)");
        ctr->set_key(key, cipher.key_len);
        ctr->set_iv(iv, cipher.iv_len);
        ctr->cipher1(data.data(), data.size());
        return data;
    }
    const auto gcm = Botan::AEAD_Mode::create_or_throw("AES-256/GCM", Botan::DECRYPTION);
    gcm->set_key(key, cipher.key_len);
    gcm->start(iv, cipher.iv_len);
    try {
        gcm->finish(data);
    } catch (const Botan::Invalid_Authentication_Tag&) {
        return std::nullopt;
    } catch (const Botan::Exception&) {
        return std::nullopt;
    }
    return data;
}

Bytes encrypt_key_section(const KeyFileCipher& cipher, const SecureBytes& key_iv,
                          const SecureBytes& plaintext)
{
    const uint8_t* key = key_iv.data();
    const uint8_t* iv = key_iv.data() + cipher.key_len;
    SecureBytes data = plaintext;
    if (cipher.tag_len == 0) {
        const auto ctr = Botan::StreamCipher::create_or_throw("CTR-BE(AES-256)");
        ctr->set_key(key, cipher.key_len);
        ctr->set_iv(iv, cipher.iv_len);
        ctr->cipher1(data.data(), data.size());
    } else {
        const auto gcm = Botan::AEAD_Mode::create_or_throw("AES-256/GCM", Botan::ENCRYPTION);
        gcm->set_key(key, cipher.key_len);
        gcm->start(iv, cipher.iv_len);
        gcm->finish(data);
    }
    return Bytes(data.begin(), data.end());
}

}  // namespace burrow::crypto
