// OpenSSH's algorithm list syntax for Ciphers, MACs, KexAlgorithms,
// HostKeyAlgorithms and PubkeyAcceptedAlgorithms (ssh_config(5),
// sshd_config(5)), shared by burrowd and burrow. No Botan here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace burrow::crypto {

/// Apply an algorithm list `spec` to `defaults`:
///  - "a,b"   exactly these, in this order (replaces the defaults);
///  - "+a,b"  the defaults, then a and b;
///  - "-p,q"  the defaults without every name matching a pattern p or q
///            ('*' any run, '?' one character);
///  - "^a,b"  a and b, then the rest of the defaults.
/// An empty spec means the defaults. Every name in a plain, '+' or '^' list
/// must be in `supported` (OpenSSH rejects unknown names there); names
/// appear once in the result (first occurrence kept). On error returns
/// nullopt and, if `error` is not null, sets it to a message naming the
/// offending algorithm.
std::optional<std::vector<std::string>> apply_algorithm_list(
    std::string_view spec, const std::vector<std::string>& defaults,
    const std::vector<std::string>& supported, std::string* error);

/// Whole-string match of `name` against `pattern` with '*' and '?'
/// (case-sensitive, as algorithm names are).
bool algorithm_pattern_match(std::string_view pattern, std::string_view name);

}  // namespace burrow::crypto
