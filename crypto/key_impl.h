// Private to crypto/: construction of concrete keys from raw key material,
// shared by keys.cpp and the key-file parser.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "crypto/keys.h"
#include "crypto/wire_util.h"

namespace burrow::crypto {

constexpr std::string_view ed25519_name = "ssh-ed25519";
constexpr std::string_view rsa_name = "ssh-rsa";
constexpr std::string_view ecdsa_nistp256_name = "ecdsa-sha2-nistp256";
constexpr std::string_view ecdsa_nistp384_name = "ecdsa-sha2-nistp384";
constexpr std::string_view ecdsa_nistp521_name = "ecdsa-sha2-nistp521";

/// True for the ECDSA key types of RFC 5656 that we support.
bool is_ecdsa_key_type(std::string_view key_type);

/// Extract the raw signature from an SSH signature blob (string sig_alg,
/// string sig), requiring the algorithm to be `sig_alg` and nothing after it.
std::optional<ByteView> parse_signature_blob(std::string_view sig_alg, ByteView blob);

/// An Ed25519 private key from its 32-byte seed (RFC 8032 §5.1.5).
std::unique_ptr<PrivateKey> make_ed25519_private_key(ByteView seed32);

/// Per-family public key blob parsers (the whole blob, type string included);
/// nullptr if malformed.
std::unique_ptr<PublicKey> parse_ed25519_public_blob(ByteView blob);
std::unique_ptr<PublicKey> parse_ecdsa_public_blob(ByteView blob);
std::unique_ptr<PublicKey> parse_rsa_public_blob(ByteView blob);

/// Per-family readers of the openssh-key-v1 private fields that follow the
/// key type string (PROTOCOL.key); nullptr if malformed or inconsistent.
std::unique_ptr<PrivateKey> read_ed25519_private_fields(WireReader& r);
std::unique_ptr<PrivateKey> read_ecdsa_private_fields(std::string_view key_type, WireReader& r);
std::unique_ptr<PrivateKey> read_rsa_private_fields(WireReader& r);

/// True if RSA private fields start with a modulus below min_rsa_bits: such a
/// key is well-formed but refused by policy (reported as unsupported).
bool rsa_private_fields_too_small(WireReader r);

/// Key generation per family; nullptr if the type/size is not supported.
std::unique_ptr<PrivateKey> generate_ecdsa(std::string_view key_type, Rng& rng);
std::unique_ptr<PrivateKey> generate_rsa(size_t bits, Rng& rng);

}  // namespace burrow::crypto
