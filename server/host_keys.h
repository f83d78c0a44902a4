// Loading the server's host keys (openssh-key-v1 files, unencrypted).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "crypto/keys.h"

namespace burrow::server {

/// Load every file that parses; log an error naming each one that does not.
/// With `skip_missing` (the default key list), files that do not exist are
/// passed over with a debug message only, as sshd does for its defaults.
std::vector<std::unique_ptr<crypto::PrivateKey>> load_host_keys(
    const std::vector<std::string>& paths, bool skip_missing = false);

}  // namespace burrow::server
