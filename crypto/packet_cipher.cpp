// Packet cipher factories: SSH name + RFC 4253 §7.2 key material -> keys.
#include "crypto/packet_cipher.h"

#include "crypto/kdf.h"
#include "crypto/packet_cipher_raw.h"

namespace burrow::crypto {
namespace {

enum class CipherKind { unknown, chacha_poly, aes128_gcm, aes256_gcm };

CipherKind kind_of(std::string_view cipher)
{
    if (cipher == "chacha20-poly1305@openssh.com") {
        return CipherKind::chacha_poly;
    }
    if (cipher == "aes128-gcm@openssh.com") {
        return CipherKind::aes128_gcm;
    }
    if (cipher == "aes256-gcm@openssh.com") {
        return CipherKind::aes256_gcm;
    }
    return CipherKind::unknown;
}

/// RFC 4253 §7.2 letters: IV c->s 'A', s->c 'B'; key c->s 'C', s->c 'D'.
char iv_letter(Direction dir)
{
    return dir == Direction::client_to_server ? 'A' : 'B';
}

char key_letter(Direction dir)
{
    return dir == Direction::client_to_server ? 'C' : 'D';
}

struct DerivedKeys {
    Botan::secure_vector<uint8_t> key;
    Botan::secure_vector<uint8_t> iv;
};

DerivedKeys derive(CipherKind kind, const KeyMaterial& km, Direction dir)
{
    DerivedKeys out;
    switch (kind) {
        case CipherKind::chacha_poly:
            // PROTOCOL.chacha20poly1305: 512 bits of key, no IV.
            out.key = derive_key(km, key_letter(dir), 64);
            break;
        case CipherKind::aes128_gcm:
        case CipherKind::aes256_gcm:
            // RFC 5647 §7.1: a 12-byte IV from the KDF, key of the AES size.
            out.key = derive_key(km, key_letter(dir), kind == CipherKind::aes128_gcm ? 16 : 32);
            out.iv = derive_key(km, iv_letter(dir), 12);
            break;
        case CipherKind::unknown:
            break;
    }
    return out;
}

/// Derive the keys for `cipher` in direction `dir` and build the key object
/// with `make_chacha` or `make_gcm`; nullptr for an unknown cipher.
template <typename Key, typename MakeChacha, typename MakeGcm>
std::unique_ptr<Key> make_key(std::string_view cipher, const KeyMaterial& km, Direction dir,
                              MakeChacha make_chacha, MakeGcm make_gcm)
{
    const CipherKind kind = kind_of(cipher);
    if (kind == CipherKind::unknown) {
        return nullptr;
    }
    const DerivedKeys keys = derive(kind, km, dir);
    if (kind == CipherKind::chacha_poly) {
        return make_chacha({keys.key.data(), keys.key.size()});
    }
    return make_gcm({keys.key.data(), keys.key.size()}, {keys.iv.data(), keys.iv.size()});
}

}  // namespace

std::unique_ptr<SealingKey> make_sealing_key(std::string_view cipher, std::string_view,
                                             const KeyMaterial& km, Direction dir)
{
    return make_key<SealingKey>(cipher, km, dir, make_chacha_poly_sealing_key,
                                make_aes_gcm_sealing_key);
}

std::unique_ptr<OpeningKey> make_opening_key(std::string_view cipher, std::string_view,
                                             const KeyMaterial& km, Direction dir)
{
    return make_key<OpeningKey>(cipher, km, dir, make_chacha_poly_opening_key,
                                make_aes_gcm_opening_key);
}

bool cipher_is_aead(std::string_view cipher)
{
    return kind_of(cipher) != CipherKind::unknown;
}

}  // namespace burrow::crypto
