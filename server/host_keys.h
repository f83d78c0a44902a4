// Loading the server's host keys (openssh-key-v1 files, unencrypted).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "crypto/keys.h"

namespace burrow::server {

/// Load every file that parses; log an error naming each one that does not.
std::vector<std::unique_ptr<crypto::PrivateKey>> load_host_keys(
    const std::vector<std::string>& paths);

}  // namespace burrow::server
