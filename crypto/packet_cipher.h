// In-place packet protection for the binary packet protocol (RFC 4253 §6).
// The packet layer owns one buffer per direction and never allocates per
// packet; these interfaces transform that buffer in place.
//
// Buffer layout handed to seal()/open():
//   [uint32 packet_length][byte padding_length][payload][padding]
// followed, in a separate span, by the tag (MAC) of tag_size() bytes.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "crypto/bytes.h"
#include "crypto/secret.h"

namespace burrow::crypto {

/// Static properties that the packet layer needs for framing.
struct CipherTraits {
    /// Padding alignment (RFC 4253 §6: max(8, cipher block size)).
    size_t block_size = 8;
    /// Bytes of MAC / AEAD tag after the packet.
    size_t tag_size = 0;
    /// True when the 4-byte length is not part of the aligned, encrypted
    /// region (AEAD modes and encrypt-then-MAC: RFC 5647 §7.2,
    /// PROTOCOL.chacha20poly1305).
    bool length_excluded_from_alignment = false;
};

/// Seals outgoing packets.
class SealingKey {
public:
    virtual ~SealingKey() = default;
    virtual const CipherTraits& traits() const = 0;
    /// Encrypt `packet` in place (whole packet incl. length field) and
    /// write the tag into `tag` (tag.size() == traits().tag_size).
    virtual void seal(uint32_t seqno, MutableByteView packet, MutableByteView tag) = 0;
};

/// Opens incoming packets.
class OpeningKey {
public:
    virtual ~OpeningKey() = default;
    virtual const CipherTraits& traits() const = 0;
    /// How many leading bytes decrypt_length() needs.
    virtual size_t length_header_size() const = 0;
    /// Recover packet_length from the first length_header_size() bytes.
    /// May transform those bytes in place (the packet layer passes them again
    /// to open()), but must be idempotent per call sequence: called once per packet.
    virtual uint32_t decrypt_length(uint32_t seqno, MutableByteView header) = 0;
    /// Verify the tag (constant time) and decrypt in place. On success the
    /// bytes from offset 4 onward are plaintext; the first 4 are unspecified.
    /// Returns false on authentication failure; the buffer contents are then
    /// unspecified (GCM decrypts while hashing) and the caller drops the connection.
    virtual bool open(uint32_t seqno, MutableByteView packet, ByteView tag) = 0;
};

/// Inputs of the RFC 4253 §7.2 key derivation, shared by both directions.
struct KeyMaterial {
    std::string_view hash_name;   ///< kex hash ("SHA-256")
    const SharedSecret* k = nullptr;
    ByteView h;                   ///< exchange hash of this kex
    ByteView session_id;          ///< H of the first kex
};

/// Which way a key protects traffic; selects the §7.2 letters
/// (client-to-server: A IV, C key, E MAC; server-to-client: B, D, F).
enum class Direction { client_to_server, server_to_client };

/// The "none" cipher used before the first NEWKEYS.
std::unique_ptr<SealingKey> make_null_sealing_key();
std::unique_ptr<OpeningKey> make_null_opening_key();

/// Cipher/MAC by SSH name. `mac` is ignored for AEAD ciphers. nullptr if unknown.
std::unique_ptr<SealingKey> make_sealing_key(std::string_view cipher, std::string_view mac,
                                             const KeyMaterial& km, Direction dir);
std::unique_ptr<OpeningKey> make_opening_key(std::string_view cipher, std::string_view mac,
                                             const KeyMaterial& km, Direction dir);

/// True if `cipher` carries its own integrity (AEAD) so no MAC is negotiated.
bool cipher_is_aead(std::string_view cipher);

}  // namespace burrow::crypto
