// bcrypt_pbkdf, the key derivation OpenSSH uses for passphrase-protected
// openssh-key-v1 files (PROTOCOL.key, kdfname "bcrypt").
#pragma once

#include <cstdint>
#include <optional>

#include "crypto/bytes.h"

namespace burrow::crypto {

/// Derive `length` bytes from `passphrase` and `salt` with `rounds` rounds.
/// nullopt if the parameters are refused (zero rounds, empty passphrase or
/// salt). Exposed for known-answer tests; key files use a zeroising copy.
std::optional<Bytes> bcrypt_pbkdf(ByteView passphrase, ByteView salt, uint32_t rounds,
                                  size_t length);

}  // namespace burrow::crypto
