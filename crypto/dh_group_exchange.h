// Diffie-Hellman group exchange (RFC 4419): groups, the moduli file, the
// server's choice of group, and a KexMethod for a negotiated group.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "crypto/bytes.h"
#include "crypto/kex_method.h"
#include "crypto/rng.h"

namespace burrow::crypto {

/// A finite-field group: prime p and generator g as unsigned big-endian bytes.
struct DhGroup {
    Bytes p;
    Bytes g;
    uint32_t bits = 0;  ///< size of p in bits
};

/// RFC 4419 §3 bounds the client asks for (OpenSSH's DH_GRP_MIN/MAX).
inline constexpr uint32_t gex_min_bits = 2048;
inline constexpr uint32_t gex_preferred_bits = 3072;
inline constexpr uint32_t gex_max_bits = 8192;

/// KexMethod over a negotiated group, for `name`
/// ("diffie-hellman-group-exchange-sha256"); nullptr if the group is unusable.
std::unique_ptr<KexMethod> make_group_exchange_kex(std::string_view name, const DhGroup& group);

/// Client: is a group received in SSH_MSG_KEX_DH_GEX_GROUP acceptable for the
/// bounds it asked for (size within [min_bits, max_bits], odd p, 1 < g < p-1)?
bool acceptable_group(const DhGroup& group, uint32_t min_bits, uint32_t max_bits);

/// Parse an OpenSSH moduli(5) file; malformed lines and comments are skipped.
std::vector<DhGroup> parse_moduli(std::string_view text);

/// Server: a group for a GEX request (RFC 4419 §3: the smallest size at
/// least `preferred` within [min, max], else the largest within range),
/// picked at random among equals. nullopt if none fits.
std::optional<DhGroup> choose_group(const std::vector<DhGroup>& groups, uint32_t min,
                                    uint32_t preferred, uint32_t max, Rng& rng);

/// Standard groups (RFC 3526 / RFC 7919), used when no moduli file is present.
const std::vector<DhGroup>& builtin_groups();

}  // namespace burrow::crypto
