// Private to crypto/: RFC 4253 §7.2 key derivation.
#pragma once

#include <botan/secmem.h>

#include <cstdint>

#include "crypto/packet_cipher.h"

namespace burrow::crypto {

/// HASH(K || H || letter || session_id), extended with
/// HASH(K || H || everything so far) until `length` bytes are available.
Botan::secure_vector<uint8_t> derive_key(const KeyMaterial& km, char letter, size_t length);

}  // namespace burrow::crypto
