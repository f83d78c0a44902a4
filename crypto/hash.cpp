// Exchange hash and plain digests (RFC 4253 §8).
#include <botan/hash.h>

#include <string>

#include "crypto/kex_method.h"
#include "crypto/secret_impl.h"

namespace burrow::crypto {

Bytes exchange_hash(std::string_view hash_name, ByteView prefix, const SharedSecret& k)
{
    const auto hash = Botan::HashFunction::create_or_throw(std::string(hash_name));
    hash->update(prefix.data(), prefix.size());
    // RFC 4253 §8: K is the last field of H, as an mpint (already encoded).
    const auto& mpint = k.impl().mpint;
    hash->update(mpint.data(), mpint.size());
    Bytes out(hash->output_length());
    hash->final(out.data());
    return out;
}

Bytes digest(std::string_view hash_name, ByteView data)
{
    const auto hash = Botan::HashFunction::create_or_throw(std::string(hash_name));
    hash->update(data.data(), data.size());
    Bytes out(hash->output_length());
    hash->final(out.data());
    return out;
}

}  // namespace burrow::crypto
