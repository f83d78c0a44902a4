// Packet cipher factories: SSH name + RFC 4253 §7.2 key material -> keys.
#include "crypto/packet_cipher.h"

#include "crypto/ctr_hmac_cipher.h"
#include "crypto/kdf.h"
#include "crypto/packet_cipher_raw.h"

namespace burrow::crypto {
namespace {

enum class CipherKind { unknown, chacha_poly, aes128_gcm, aes256_gcm, aes_ctr };

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
    if (ctr_key_size(cipher) != 0) {
        return CipherKind::aes_ctr;
    }
    return CipherKind::unknown;
}

/// RFC 4253 §7.2 letters: IV c->s 'A', s->c 'B'; key c->s 'C', s->c 'D';
/// integrity key c->s 'E', s->c 'F'.
char iv_letter(Direction dir)
{
    return dir == Direction::client_to_server ? 'A' : 'B';
}

char key_letter(Direction dir)
{
    return dir == Direction::client_to_server ? 'C' : 'D';
}

char mac_letter(Direction dir)
{
    return dir == Direction::client_to_server ? 'E' : 'F';
}

struct DerivedKeys {
    Botan::secure_vector<uint8_t> key;
    Botan::secure_vector<uint8_t> iv;
    Botan::secure_vector<uint8_t> mac_key;
};

ByteView view(const Botan::secure_vector<uint8_t>& v)
{
    return {v.data(), v.size()};
}

/// Derive what `cipher` (and, for non-AEAD ciphers, `mac`) needs in
/// direction `dir`.
DerivedKeys derive(CipherKind kind, std::string_view cipher, const MacSpec* mac,
                   const KeyMaterial& km, Direction dir)
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
        case CipherKind::aes_ctr:
            // RFC 4344 §4: the IV is the initial 128-bit counter; RFC 4253
            // §6.4 / RFC 6668: the MAC key is as long as the hash output.
            out.key = derive_key(km, key_letter(dir), ctr_key_size(cipher));
            out.iv = derive_key(km, iv_letter(dir), 16);
            out.mac_key = derive_key(km, mac_letter(dir), mac->size);
            break;
        case CipherKind::unknown:
            break;
    }
    return out;
}

/// The factory functions for one side (sealing or opening).
template <typename Key>
struct Makers {
    std::unique_ptr<Key> (*chacha)(ByteView);
    std::unique_ptr<Key> (*gcm)(ByteView, ByteView);
    std::unique_ptr<Key> (*ctr)(ByteView, ByteView, std::string_view, ByteView);
};

/// Derive the keys for `cipher`/`mac` in direction `dir` and build the key
/// object; nullptr for an unknown cipher, or a non-AEAD cipher whose MAC is
/// unknown or missing.
template <typename Key>
std::unique_ptr<Key> make_key(std::string_view cipher, std::string_view mac, const KeyMaterial& km,
                              Direction dir, const Makers<Key>& makers)
{
    const CipherKind kind = kind_of(cipher);
    if (kind == CipherKind::unknown) {
        return nullptr;
    }
    const MacSpec* mac_spec = nullptr;
    if (kind == CipherKind::aes_ctr) {
        mac_spec = find_mac(mac);
        if (mac_spec == nullptr) {
            return nullptr;
        }
    }
    const DerivedKeys keys = derive(kind, cipher, mac_spec, km, dir);
    switch (kind) {
        case CipherKind::chacha_poly:
            return makers.chacha(view(keys.key));
        case CipherKind::aes_ctr:
            return makers.ctr(view(keys.key), view(keys.iv), mac, view(keys.mac_key));
        default:
            return makers.gcm(view(keys.key), view(keys.iv));
    }
}

}  // namespace

std::unique_ptr<SealingKey> make_sealing_key(std::string_view cipher, std::string_view mac,
                                             const KeyMaterial& km, Direction dir)
{
    static constexpr Makers<SealingKey> makers{make_chacha_poly_sealing_key,
                                               make_aes_gcm_sealing_key, make_ctr_hmac_sealing_key};
    return make_key(cipher, mac, km, dir, makers);
}

std::unique_ptr<OpeningKey> make_opening_key(std::string_view cipher, std::string_view mac,
                                             const KeyMaterial& km, Direction dir)
{
    static constexpr Makers<OpeningKey> makers{make_chacha_poly_opening_key,
                                               make_aes_gcm_opening_key, make_ctr_hmac_opening_key};
    return make_key(cipher, mac, km, dir, makers);
}

bool cipher_is_aead(std::string_view cipher)
{
    const CipherKind kind = kind_of(cipher);
    return kind != CipherKind::unknown && kind != CipherKind::aes_ctr;
}

}  // namespace burrow::crypto
