// Private to crypto/: construction of concrete keys from raw key material,
// shared by keys.cpp and the key-file parser.
#pragma once

#include <memory>

#include "crypto/keys.h"

namespace burrow::crypto {

constexpr std::string_view ed25519_name = "ssh-ed25519";

/// An Ed25519 private key from its 32-byte seed (RFC 8032 §5.1.5).
std::unique_ptr<PrivateKey> make_ed25519_private_key(ByteView seed32);

}  // namespace burrow::crypto
