#include "crypto/pem_legacy.h"

#include <botan/base64.h>
#include <botan/cipher_mode.h>
#include <botan/exceptn.h>
#include <botan/hash.h>
#include <botan/hex.h>

#include <memory>
#include <string>

namespace burrow::crypto {
namespace {

using SecureBytes = Botan::secure_vector<uint8_t>;

/// EVP_BytesToKey's salt is the first 8 bytes of the IV (OpenSSL's PEM_do_header).
constexpr size_t salt_size = 8;

struct LegacyCipher {
    std::string_view dek_name;  ///< as in DEK-Info
    const char* botan_name;
    size_t key_size;
    size_t iv_size;
};

constexpr LegacyCipher legacy_ciphers[] = {
    {"AES-128-CBC", "AES-128/CBC/PKCS7", 16, 16},
    {"AES-192-CBC", "AES-192/CBC/PKCS7", 24, 16},
    {"AES-256-CBC", "AES-256/CBC/PKCS7", 32, 16},
    {"DES-EDE3-CBC", "TripleDES/CBC/PKCS7", 24, 8},
};

/// OpenSSL's EVP_BytesToKey with MD5 and one iteration:
/// D_1 = MD5(pass || salt), D_i = MD5(D_{i-1} || pass || salt), key = D_1 || D_2 ...
SecureBytes bytes_to_key(std::string_view passphrase, const uint8_t* salt, size_t key_size)
{
    const std::unique_ptr<Botan::HashFunction> md5 = Botan::HashFunction::create_or_throw("MD5");
    SecureBytes key;
    SecureBytes block;
    while (key.size() < key_size) {
        md5->update(block);
        md5->update(reinterpret_cast<const uint8_t*>(passphrase.data()), passphrase.size());
        md5->update(salt, salt_size);
        block = md5->final();
        key.insert(key.end(), block.begin(), block.end());
    }
    key.resize(key_size);
    return key;
}

/// The value of header `name` ("DEK-Info") in the PEM text, or "".
std::string_view header_value(std::string_view text, std::string_view name)
{
    const size_t at = text.find(std::string(name) + ":");
    if (at == std::string_view::npos) {
        return {};
    }
    size_t start = at + name.size() + 1;
    while (start < text.size() && text[start] == ' ') {
        ++start;
    }
    const size_t end = text.find_first_of("\r\n", start);
    return text.substr(start, end == std::string_view::npos ? end : end - start);
}

/// The base64 body: after the blank line ending the headers, up to "-----END".
std::optional<std::string_view> body_of(std::string_view text)
{
    size_t blank = text.find("\n\n");
    size_t skip = 2;
    if (blank == std::string_view::npos) {
        blank = text.find("\r\n\r\n");
        skip = 4;
    }
    const size_t end = text.find("-----END", blank == std::string_view::npos ? 0 : blank);
    if (blank == std::string_view::npos || end == std::string_view::npos) {
        return std::nullopt;
    }
    return text.substr(blank + skip, end - blank - skip);
}

}  // namespace

bool is_legacy_encrypted_pem(std::string_view text)
{
    return text.find("Proc-Type:") != std::string_view::npos;
}

std::optional<SecureBytes> decrypt_legacy_pem(std::string_view text, std::string_view passphrase)
{
    // RFC 1421 §4.6.1.1: "Proc-Type: 4,ENCRYPTED"; §4.6.1.3 DEK-Info: cipher,IV.
    if (header_value(text, "Proc-Type") != "4,ENCRYPTED") {
        return std::nullopt;
    }
    const std::string_view dek = header_value(text, "DEK-Info");
    const size_t comma = dek.find(',');
    const std::optional<std::string_view> body = body_of(text);
    if (comma == std::string_view::npos || !body) {
        return std::nullopt;
    }
    const std::string_view name = dek.substr(0, comma);
    const LegacyCipher* cipher = nullptr;
    for (const LegacyCipher& c : legacy_ciphers) {
        if (c.dek_name == name) {
            cipher = &c;
        }
    }
    if (cipher == nullptr) {
        return std::nullopt;
    }
    try {
        const std::vector<uint8_t> iv = Botan::hex_decode(std::string(dek.substr(comma + 1)));
        if (iv.size() != cipher->iv_size) {
            return std::nullopt;
        }
        SecureBytes data = Botan::base64_decode(std::string(*body), true);
        const auto mode =
            Botan::Cipher_Mode::create_or_throw(cipher->botan_name, Botan::DECRYPTION);
        mode->set_key(bytes_to_key(passphrase, iv.data(), cipher->key_size));
        mode->start(iv);
        mode->finish(data);  // throws on bad padding
        return data;
    } catch (const Botan::Exception&) {
        return std::nullopt;
    }
}

}  // namespace burrow::crypto
