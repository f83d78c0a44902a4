// The client's algorithm choices: the -c/-m/-o list specs against the
// registry, host key algorithms ordered by what known_hosts holds, and the
// lists `burrow -Q` prints.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/options.h"

namespace burrow::client {

/// The algorithm lists ssh_config(5) lets the user change.
enum class AlgorithmKind { cipher, mac, kex, host_key, pubkey };

/// Everything of this kind burrow implements.
const std::vector<std::string>& supported_algorithms(AlgorithmKind kind);

/// The client's default offer of this kind.
std::vector<std::string> default_algorithms(AlgorithmKind kind);

/// Check a spec ("a,b", "+a", "-a*", "^a") for this kind. Returns an error
/// message in ssh(1)'s words ("Bad SSH2 cipher spec 'x'."), or nullopt.
std::optional<std::string> check_algorithm_spec(AlgorithmKind kind, std::string_view spec);

/// What the connection offers.
struct AlgorithmSelection {
    std::vector<std::string> kex;
    std::vector<std::string> ciphers;
    std::vector<std::string> macs;
    std::vector<std::string> host_keys;
    std::vector<std::string> pubkeys;
    std::vector<std::string> compression;
};

/// Resolve the settings' specs against the defaults. When HostKeyAlgorithms
/// is not configured, the default host key algorithms are ordered by
/// `known_key_types` (the key types known_hosts holds for this host).
/// nullopt with `error` set if a spec is bad.
std::optional<AlgorithmSelection> select_algorithms(const Settings& settings,
                                                    const std::vector<std::string>& known_key_types,
                                                    std::string& error);

/// Move the algorithms whose key type is in `known_key_types` to the front,
/// keeping the relative order within both groups (like ssh(1)), so that a
/// server with several host keys shows the one on record and a
/// known host does not look changed.
std::vector<std::string> order_host_key_algorithms(const std::vector<std::string>& algorithms,
                                                   const std::vector<std::string>& known_key_types);

/// `burrow -Q what`: cipher, cipher-auth, mac, kex, key, key-plain, sig (or
/// the keywords Ciphers, MACs, KexAlgorithms, HostKeyAlgorithms,
/// PubkeyAcceptedAlgorithms). nullopt if `what` is unknown.
std::optional<std::vector<std::string>> query_algorithms(std::string_view what);

}  // namespace burrow::client
