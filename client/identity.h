// User identities (private keys) for publickey authentication, loaded from
// -i / IdentityFile paths or ssh's default file names.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "client/log.h"
#include "crypto/keys.h"

namespace burrow::client {

/// One usable private key.
struct Identity {
    std::string path;
    std::string comment;
    std::unique_ptr<crypto::PrivateKey> key;
};

/// Load every usable key among `files`, in order. Missing files are skipped
/// silently; unreadable, encrypted or unsupported ones are reported at -v;
/// files readable by others are refused loudly, as ssh(1) does.
std::vector<Identity> load_identities(const std::vector<std::string>& files, const Logger& log);

/// "ED25519 SHA256:..." for log lines.
std::string describe_key(const crypto::PublicKey& key);

}  // namespace burrow::client
