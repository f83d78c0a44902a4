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

/// Why a private key file could not be loaded.
enum class KeyFileError { malformed, encrypted, unsupported_type };

struct KeyFileResult {
    std::optional<LoadedPrivateKey> loaded;
    KeyFileError error = KeyFileError::malformed;
};

/// Parse "-----BEGIN OPENSSH PRIVATE KEY-----" text.
KeyFileResult parse_openssh_private_key(std::string_view text);

/// Produce unencrypted openssh-key-v1 text (check ints drawn from `rng`).
std::string write_openssh_private_key(const PrivateKey& key, std::string_view comment, Rng& rng);

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

/// Constant-time comparison.
bool constant_time_equal(ByteView a, ByteView b);

}  // namespace burrow::crypto
