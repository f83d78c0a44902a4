// Public and private keys used for host and user authentication, behind
// interfaces so a privileged monitor can hold the private half later.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/bytes.h"
#include "crypto/rng.h"

namespace burrow::crypto {

/// A public key as carried on the wire (RFC 4253 §6.6 key blob).
class PublicKey {
public:
    virtual ~PublicKey() = default;
    /// Key type name, e.g. "ssh-ed25519".
    virtual std::string_view key_type() const = 0;
    /// The wire blob (string type, key data...).
    virtual const Bytes& blob() const = 0;
    /// Key size in bits (256 for ed25519, the curve size for ECDSA, the
    /// modulus size for RSA), as `ssh-keygen -l` prints it.
    virtual size_t bits() const = 0;
    /// Verify an SSH signature blob (string sig_alg, string sig) over `data`,
    /// requiring its algorithm to be `sig_alg`.
    virtual bool verify(std::string_view sig_alg, ByteView data, ByteView signature_blob) const = 0;
};

/// A private key able to sign.
class PrivateKey {
public:
    virtual ~PrivateKey() = default;
    virtual std::string_view key_type() const = 0;
    virtual const PublicKey& public_key() const = 0;
    /// Signature blob (string sig_alg, string sig) over `data`.
    virtual Bytes sign(std::string_view sig_alg, ByteView data, Rng& rng) const = 0;
    /// Serialise in openssh-key-v1 private form (unencrypted), as the
    /// PROTOCOL.key private section body for this key type.
    virtual void write_private_fields(Bytes& out) const = 0;
};

/// Parse a wire key blob; nullptr if the type is unknown or the blob is malformed.
std::unique_ptr<PublicKey> parse_public_key_blob(ByteView blob);

/// Signature algorithms usable with a key type (first = preferred).
std::vector<std::string> signature_algorithms_for(std::string_view key_type);

/// Key type that a signature algorithm belongs to ("" if unknown).
std::string key_type_for_signature(std::string_view sig_alg);

/// Generate a fresh ed25519 key.
std::unique_ptr<PrivateKey> generate_ed25519(Rng& rng);

/// Generate a key of `key_type` ("ssh-ed25519", "ecdsa-sha2-nistp256/384/521",
/// "ssh-rsa"); `bits` is used for RSA (minimum 2048; 0 = 3072). nullptr if
/// the type or size is not supported.
std::unique_ptr<PrivateKey> generate_key(std::string_view key_type, size_t bits, Rng& rng);

/// Smallest RSA modulus accepted anywhere (keys, host keys, signatures).
inline constexpr size_t min_rsa_bits = 2048;

/// "SHA256:<base64 without padding>" of the blob, as ssh-keygen -l prints.
std::string fingerprint_sha256(ByteView blob);

}  // namespace burrow::crypto
