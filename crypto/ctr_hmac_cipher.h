// Private to crypto/ (and its tests): the non-AEAD packet protection pieces,
// AES-CTR (RFC 4344 §4) and the SSH packet MACs (RFC 4253 §6.4, RFC 6668,
// OpenSSH PROTOCOL §1.5 for the encrypt-then-MAC variants).
#pragma once

#include <botan/mac.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

#include "crypto/bytes.h"

namespace burrow::crypto {

/// One SSH MAC algorithm: its wire name, the Botan HMAC behind it, the tag
/// (and key) length, and whether it is an encrypt-then-MAC variant.
struct MacSpec {
    std::string_view ssh_name;
    const char* botan_name;
    size_t size;  ///< tag length = key length = hash output (RFC 4253 §6.4, RFC 6668 §2)
    bool etm;
};

/// The spec for `ssh_name`, or nullptr if it is not a MAC we implement.
const MacSpec* find_mac(std::string_view ssh_name);

/// Key length in bytes of "aesN-ctr", or 0 if `ssh_name` is not one.
size_t ctr_key_size(std::string_view ssh_name);

/// Largest tag any MacSpec produces (HMAC-SHA-512).
inline constexpr size_t max_mac_size = 64;

/// A keyed packet MAC: HMAC(key, uint32 seqno || a || b) (RFC 4253 §6.4).
/// The key is set once; computing a tag does not allocate.
class PacketMac {
public:
    PacketMac(const MacSpec& spec, ByteView key);

    size_t size() const { return m_spec.size; }
    bool etm() const { return m_spec.etm; }

    /// Write the tag over seqno || a || b into `out` (size() bytes).
    void compute(uint32_t seqno, ByteView a, ByteView b, uint8_t* out);
    /// Recompute and compare against `tag` in constant time.
    bool verify(uint32_t seqno, ByteView a, ByteView b, ByteView tag);

private:
    const MacSpec& m_spec;
    std::unique_ptr<Botan::MessageAuthenticationCode> m_hmac;
    std::array<uint8_t, max_mac_size> m_expected{};
};

}  // namespace burrow::crypto
