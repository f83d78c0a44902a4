// OpenSSH key file formats: openssh-key-v1 private keys (PROTOCOL.key) and
// one-line public keys ("type base64 comment"). Pure text <-> key conversion;
// reading and writing files is the caller's job.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/keys.h"

namespace burrow::crypto {

struct LoadedPrivateKey {
    std::unique_ptr<PrivateKey> key;
    std::string comment;
};

/// Why a private key file could not be loaded. `encrypted`: a passphrase is
/// needed and none was given; `bad_passphrase`: the given one is wrong (the
/// check integers or the AEAD tag of the private section do not match).
enum class KeyFileError { malformed, encrypted, unsupported_type, bad_passphrase };

struct KeyFileResult {
    std::optional<LoadedPrivateKey> loaded;
    KeyFileError error = KeyFileError::malformed;
};

/// Parse "-----BEGIN OPENSSH PRIVATE KEY-----" text. Encrypted files give
/// KeyFileError::encrypted.
KeyFileResult parse_openssh_private_key(std::string_view text);

/// Parse openssh-key-v1 text, decrypting it with `passphrase` when it is
/// encrypted (kdf "bcrypt", cipher aes256-ctr or aes256-gcm@openssh.com).
/// An unencrypted file loads whatever the passphrase.
KeyFileResult parse_openssh_private_key(std::string_view text,
                                        std::optional<std::string_view> passphrase);

/// Parse a PEM private key as OpenSSH accepts it: "RSA PRIVATE KEY" (PKCS#1),
/// "EC PRIVATE KEY" (SEC1), "PRIVATE KEY" (PKCS#8) and "ENCRYPTED PRIVATE KEY"
/// (PKCS#8 with `passphrase`). The comment is empty (PEM has none). Legacy
/// OpenSSL-encrypted PKCS#1 / SEC1 ("Proc-Type: 4,ENCRYPTED", DEK-Info
/// AES-128/192/256-CBC or DES-EDE3-CBC) is decrypted with `passphrase`.
KeyFileResult parse_pem_private_key(std::string_view text,
                                    std::optional<std::string_view> passphrase);

/// Any supported private key file: openssh-key-v1 or one of the PEM forms.
KeyFileResult parse_private_key_file(std::string_view text,
                                     std::optional<std::string_view> passphrase);

/// True if `text` is an openssh-key-v1 file whose private section is encrypted.
bool is_encrypted_openssh_private_key(std::string_view text);

/// The public key of an openssh-key-v1 file without decrypting it: PROTOCOL.key
/// keeps the public blob in the clear. nullptr if malformed or unknown type.
std::unique_ptr<PublicKey> public_key_of_private_file(std::string_view text);

/// Produce unencrypted openssh-key-v1 text (check ints drawn from `rng`).
std::string write_openssh_private_key(const PrivateKey& key, std::string_view comment, Rng& rng);

/// How to encrypt a written key file (ssh-keygen's defaults).
struct KeyFileEncryption {
    std::string_view passphrase;
    /// bcrypt_pbkdf rounds (ssh-keygen -a).
    uint32_t rounds = 16;
    std::string_view cipher = "aes256-ctr";
};

/// Produce openssh-key-v1 text encrypted as `encryption` says; an empty
/// passphrase writes an unencrypted file. Empty string if the cipher is unknown
/// or rounds is 0.
std::string write_openssh_private_key(const PrivateKey& key, std::string_view comment, Rng& rng,
                                      const KeyFileEncryption& encryption);

struct PublicKeyLine {
    std::unique_ptr<PublicKey> key;
    std::string comment;
};

/// Parse "ssh-ed25519 AAAA... comment". nullopt if malformed or unknown type.
std::optional<PublicKeyLine> parse_public_key_line(std::string_view line);

/// Format "type base64 comment" (no trailing newline; comment omitted if empty).
std::string format_public_key_line(const PublicKey& key, std::string_view comment);

/// Base64 helpers (RFC 4648), for known_hosts and key lines.
std::string base64_encode(ByteView data);
std::optional<Bytes> base64_decode(std::string_view text);

/// HMAC-SHA1 for hashed known_hosts entries (|1|salt|hash).
Bytes hmac_sha1(ByteView key, ByteView data);

/// "MD5:aa:bb:..." of the blob, as ssh-keygen -E md5 -l prints.
std::string fingerprint_md5(ByteView blob);

/// Constant-time comparison.
bool constant_time_equal(ByteView a, ByteView b);

}  // namespace burrow::crypto
