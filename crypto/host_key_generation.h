// Creating missing host key files, shared by burrowd's first start and
// `burrow-keygen -A`. This is the one place in crypto/ that writes files:
// both callers need the same names, modes and atomic replacement, and both
// already link burrow_crypto (no Botan type appears here).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/rng.h"

namespace burrow::crypto {

/// One kind of host key, as ssh-keygen(1) -A names and sizes it.
struct HostKeyKind {
    std::string_view short_name;  ///< "rsa": the file is ssh_host_rsa_key
    std::string_view key_type;    ///< "ssh-rsa"
    size_t bits;                  ///< 3072 (ssh-keygen's RSA default)
    std::string_view label;       ///< "RSA", as ssh-keygen -A prints it
};

/// ssh-keygen(1) -A's set, in its order: RSA (3072 bits), ECDSA (P-256), ED25519.
const std::vector<HostKeyKind>& all_host_key_kinds();

/// What burrowd creates on first start: ED25519 and RSA-3072 (ECDSA is left
/// out: every current client takes one of these two).
const std::vector<HostKeyKind>& first_start_host_key_kinds();

/// `dir`/ssh_host_<short_name>_key.
std::string host_key_path(std::string_view dir, const HostKeyKind& kind);

/// The outcome of creating one key pair.
struct CreatedHostKey {
    std::string path;         ///< the private key file
    std::string label;        ///< "ED25519"
    std::string fingerprint;  ///< "SHA256:..." (empty when `error` is set)
    std::string error;        ///< empty on success
};

/// For each kind whose private key file is missing in `dir`, generate a key
/// and write `path` (openssh-key-v1, unencrypted, mode 0600) and `path`.pub
/// (mode 0644), each written to a temporary file first so a reader never
/// sees half a key. An existing private key is never replaced, even if it
/// appears while this runs. `dir` must exist.
std::vector<CreatedHostKey> create_missing_host_keys(std::string_view dir,
                                                     const std::vector<HostKeyKind>& kinds,
                                                     std::string_view comment, Rng& rng);

/// "user@hostname" of the running process, the comment ssh-keygen puts on keys.
std::string default_key_comment();

}  // namespace burrow::crypto
