// Private to crypto/: the curve25519-sha256 key exchange (RFC 8731).
#pragma once

#include <memory>
#include <string_view>

#include "crypto/kex_method.h"

namespace burrow::crypto {

/// `name` is the SSH name to report (both spellings of RFC 8731 §3).
std::unique_ptr<KexMethod> make_curve25519_kex(std::string_view name);

}  // namespace burrow::crypto
