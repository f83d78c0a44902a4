// RFC 4253 §7.2 key derivation.
#include "crypto/kdf.h"

#include <botan/hash.h>

#include <stdexcept>
#include <string>

#include "crypto/secret_impl.h"

namespace burrow::crypto {

Botan::secure_vector<uint8_t> derive_key(const KeyMaterial& km, char letter, size_t length)
{
    if (km.k == nullptr) {
        throw std::invalid_argument("derive_key: no shared secret");
    }
    const auto hash = Botan::HashFunction::create_or_throw(std::string(km.hash_name));
    const auto& k = km.k->impl().mpint;
    const uint8_t letter_byte = static_cast<uint8_t>(letter);

    // K1 = HASH(K || H || X || session_id)
    hash->update(k.data(), k.size());
    hash->update(km.h.data(), km.h.size());
    hash->update(letter_byte);
    hash->update(km.session_id.data(), km.session_id.size());
    Botan::secure_vector<uint8_t> out = hash->final();

    // Kn = HASH(K || H || K1 || ... || Kn-1): §7.2, for keys longer than HASH.
    while (out.size() < length) {
        hash->update(k.data(), k.size());
        hash->update(km.h.data(), km.h.size());
        hash->update(out.data(), out.size());
        const Botan::secure_vector<uint8_t> more = hash->final();
        out.insert(out.end(), more.begin(), more.end());
    }
    out.resize(length);
    return out;
}

}  // namespace burrow::crypto
