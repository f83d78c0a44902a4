// Private to crypto/: ECDH key exchange over the NIST curves (RFC 5656).
#pragma once

#include <memory>
#include <string_view>

#include "crypto/kex_method.h"

namespace burrow::crypto {

/// "ecdh-sha2-nistp256", "ecdh-sha2-nistp384" or "ecdh-sha2-nistp521";
/// nullptr for any other name.
std::unique_ptr<KexMethod> make_ecdh_kex(std::string_view name);

}  // namespace burrow::crypto
