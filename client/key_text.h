// Reading public keys out of key files for burrow-keygen -l / -y: public key
// lines (optionally after authorized_keys options) and key sizes, without
// requiring crypto/ to support the key type just to print a fingerprint.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "crypto/bytes.h"

namespace burrow::client {

/// One public key found in text.
struct PublicKeyText {
    std::string type;  ///< "ssh-ed25519"
    Bytes blob;        ///< RFC 4253 §6.6 key blob
    std::string comment;
};

/// Every "type base64 [comment]" key in `text`, one per line; lines that
/// hold no key (comments, garbage) are skipped.
std::vector<PublicKeyText> parse_public_keys(std::string_view text);

/// Key size in bits as ssh-keygen reports it (ed25519: 256, RSA: modulus
/// bits, ECDSA: curve size); 0 if unknown.
size_t key_bits(ByteView blob);

/// "256 SHA256:... comment (ED25519)", the ssh-keygen -l line. An empty
/// comment is replaced by `fallback` (ssh-keygen shows the file name).
std::string fingerprint_line(const PublicKeyText& key, std::string_view fallback);

/// The same with an MD5 fingerprint ("MD5:aa:bb:...") when `md5` (-E md5).
std::string fingerprint_line(const PublicKeyText& key, std::string_view fallback, bool md5);

}  // namespace burrow::client
