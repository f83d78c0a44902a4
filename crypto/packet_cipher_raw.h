// Private to crypto/ (and its tests): packet ciphers built from raw key bytes,
// bypassing the KDF, so known-answer tests can drive published vectors.
#pragma once

#include <memory>
#include <string_view>

#include "crypto/packet_cipher.h"

namespace burrow::crypto {

/// chacha20-poly1305@openssh.com from its 64-byte key (K_2 || K_1).
std::unique_ptr<SealingKey> make_chacha_poly_sealing_key(ByteView key64);
std::unique_ptr<OpeningKey> make_chacha_poly_opening_key(ByteView key64);

/// aes{128,256}-gcm@openssh.com from a 16/32-byte key and the 12-byte initial IV.
std::unique_ptr<SealingKey> make_aes_gcm_sealing_key(ByteView key, ByteView iv12);
std::unique_ptr<OpeningKey> make_aes_gcm_opening_key(ByteView key, ByteView iv12);

/// aes{128,192,256}-ctr (RFC 4344, AES size from the 16/24/32-byte key, 16-byte
/// initial counter) with the MAC `mac` by SSH name ("hmac-sha2-256",
/// "hmac-sha2-256-etm@openssh.com", ...) keyed with `mac_key`. nullptr if
/// `mac` is unknown; throws std::invalid_argument on bad key or IV sizes.
std::unique_ptr<SealingKey> make_ctr_hmac_sealing_key(ByteView key, ByteView iv16,
                                                      std::string_view mac, ByteView mac_key);
std::unique_ptr<OpeningKey> make_ctr_hmac_opening_key(ByteView key, ByteView iv16,
                                                      std::string_view mac, ByteView mac_key);

}  // namespace burrow::crypto
