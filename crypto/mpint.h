// Private to crypto/: SSH mpint encoding (RFC 4251 §5) on Botan::BigInt,
// for RSA and ECDSA key blobs, signatures and private key files.
#pragma once

#include <botan/bigint.h>
#include <botan/secmem.h>

#include <optional>

#include "crypto/wire_util.h"

namespace burrow::crypto {

/// Largest mpint accepted when reading (16384-bit RSA plus a sign byte):
/// bounds the work a peer can make us do.
constexpr size_t max_mpint_bytes = 16384 / 8 + 1;

/// Append an mpint: two's complement big-endian, minimal length, a leading
/// zero byte when the top bit is set, and no bytes at all for zero (RFC 4251
/// §5). Only non-negative values occur in SSH keys and signatures. The
/// temporary copy lives in a secure_vector since private values pass here.
template <typename Container>
void put_mpint(Container& out, const Botan::BigInt& n)
{
    Botan::secure_vector<uint8_t> bytes(n.bytes());
    n.binary_encode(bytes.data(), bytes.size());
    const bool needs_sign_byte = !bytes.empty() && (bytes[0] & 0x80) != 0;
    put_u32(out, static_cast<uint32_t>(bytes.size() + (needs_sign_byte ? 1 : 0)));
    if (needs_sign_byte) {
        out.push_back(0);
    }
    out.insert(out.end(), bytes.begin(), bytes.end());
}

/// Read a non-negative mpint; nullopt if short, negative or oversized.
/// Redundant leading zeros are tolerated here (callers that need a
/// canonical encoding compare against a re-encoding).
inline std::optional<Botan::BigInt> read_mpint(WireReader& r)
{
    const auto data = r.string();
    if (!data || data->size() > max_mpint_bytes) {
        return std::nullopt;
    }
    // RFC 4251 §5: the top bit of the first byte is the sign.
    if (!data->empty() && ((*data)[0] & 0x80) != 0) {
        return std::nullopt;
    }
    return Botan::BigInt(data->data(), data->size());
}

}  // namespace burrow::crypto
