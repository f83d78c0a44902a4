// The server's host keys: the default file names, creating them on first
// start, and loading them (openssh-key-v1 files, unencrypted) with sshd's
// permission check.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/keys.h"

namespace burrow::server {

/// The directory holding `config_file` ("." for a bare file name); burrowd
/// keeps its default host keys there (/etc/burrow for the default config).
std::string config_directory(std::string_view config_file);

/// The default host key files beside `config_file`, in sshd(8)'s order:
/// ssh_host_rsa_key, ssh_host_ecdsa_key, ssh_host_ed25519_key. A config
/// file that exists but is not a regular file (-f /dev/null) gives the
/// default directory, /etc/burrow.
std::vector<std::string> default_host_key_paths(std::string_view config_file);

/// First start: if none of `default_paths` exists, create ED25519 and
/// RSA-3072 host keys (with .pub files) in the directory of the first one,
/// logging each key made and its fingerprint. Does nothing if any exists.
/// Returns the number of keys created.
size_t create_first_start_host_keys(const std::vector<std::string>& default_paths);

/// Load every file that parses; log an error naming each one that does not.
/// With `default_keys` (no HostKey configured), the keys are first created
/// when none exists (create_first_start_host_keys), and files that do not
/// exist are passed over with a debug message only, as sshd does for its
/// defaults. Private keys owned by the running user with any group or other
/// permission bit are refused as sshd(8) does ("Permissions 0644 for 'FILE'
/// are too open.") and skipped; the caller decides whether none is fatal.
std::vector<std::unique_ptr<crypto::PrivateKey>> load_host_keys(
    const std::vector<std::string>& paths, bool default_keys = false);

}  // namespace burrow::server
