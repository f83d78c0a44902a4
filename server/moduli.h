// Groups for diffie-hellman-group-exchange (RFC 4419) from a moduli(5) file.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/dh_group_exchange.h"

namespace burrow::server {

/// Files searched when ModuliFile is not set, in order.
inline constexpr const char* burrow_moduli_file = "/etc/burrow/moduli";
inline constexpr const char* system_moduli_file = "/etc/ssh/moduli";

/// Groups read from `moduli_file` if given, else from the first of
/// /etc/burrow/moduli and /etc/ssh/moduli that exists. A file that cannot be
/// read or holds no usable group is logged and skipped. An empty result
/// means the built-in groups (crypto::builtin_groups(), the same RFC 3526 /
/// RFC 7919 primes as the moduli file shipped in server/moduli).
std::vector<crypto::DhGroup> load_dh_groups(const std::optional<std::string>& moduli_file);

}  // namespace burrow::server
