// Private to crypto/: the representation behind the SharedSecret handle.
#pragma once

#include <botan/secmem.h>

#include <cstdint>

#include "crypto/bytes.h"
#include "crypto/secret.h"

namespace burrow::crypto {

/// K, already in its RFC 4251 §5 mpint wire form (uint32 length, then the
/// two's-complement big-endian magnitude), held in a zeroising buffer.
struct SharedSecret::Impl {
    Botan::secure_vector<uint8_t> mpint;
};

/// Build a SharedSecret from an unsigned big-endian integer (e.g. the X25519
/// output, RFC 8731 §3). Applies the mpint rules: leading zero bytes are
/// dropped, and a 0x00 is prepended when the top bit is set so the value
/// stays positive.
SharedSecret shared_secret_from_unsigned(ByteView big_endian);

}  // namespace burrow::crypto
