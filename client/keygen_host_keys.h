// burrow-keygen -A: create the missing default host keys, as ssh-keygen(1) -A.
#pragma once

#include <optional>
#include <string>

namespace burrow::client {

/// Where burrowd keeps its default host keys (and its configuration).
inline constexpr const char* host_key_directory = "/etc/burrow";

/// Create each of RSA, ECDSA and ED25519 host keys whose file is missing in
/// `prefix` + host_key_directory (ssh-keygen -A -f PREFIX prepends PREFIX the
/// same way; no prefix: /etc/burrow itself). Prints "generating new host keys:
/// RSA ECDSA ED25519" for the ones made unless `quiet`; errors go to stderr.
/// Returns the exit code: 0, or 1 if any key could not be written.
int generate_all_host_keys(const std::optional<std::string>& prefix, bool quiet);

}  // namespace burrow::client
