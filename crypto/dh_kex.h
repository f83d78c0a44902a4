// Private to crypto/: finite-field Diffie-Hellman key exchange (RFC 4253 §8)
// over the fixed groups of RFC 3526 / RFC 8268 and over negotiated groups
// (RFC 4419, see dh_group_exchange.h).
#pragma once

#include <memory>
#include <string_view>

#include "crypto/kex_method.h"

namespace burrow::crypto {

/// "diffie-hellman-group14-sha256", "diffie-hellman-group16-sha512",
/// "diffie-hellman-group18-sha512" or "diffie-hellman-group14-sha1";
/// nullptr for any other name.
std::unique_ptr<KexMethod> make_fixed_dh_kex(std::string_view name);

}  // namespace burrow::crypto
