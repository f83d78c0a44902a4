// Key-exchange methods share one shape (keypair / encapsulate / decapsulate),
// so every ECDH-like method is a single code path in protocol/transport.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/bytes.h"
#include "crypto/rng.h"
#include "crypto/secret.h"

namespace burrow::crypto {

/// What the server produces from the client's public value.
struct Encapsulation {
    Bytes server_public;   ///< Q_S, sent in the reply
    SharedSecret secret;   ///< K
};

/// How the public values travel and enter the exchange hash: ECDH-style
/// methods use strings (RFC 5656 §4, RFC 8731), finite-field DH uses mpints
/// (RFC 4253 §8, RFC 4419 §3).
enum class PublicEncoding { string, mpint };

/// One key-exchange method instance (single use).
/// For PublicEncoding::mpint methods, public values cross this interface as
/// unsigned big-endian magnitudes (no mpint sign byte); the protocol layer
/// does the mpint framing.
class KexMethod {
public:
    virtual ~KexMethod() = default;
    /// String or mpint public values (see PublicEncoding).
    virtual PublicEncoding public_encoding() const = 0;
    /// SSH name, e.g. "curve25519-sha256".
    virtual std::string_view name() const = 0;
    /// Hash used for the exchange hash and KDF ("SHA-256", ...).
    virtual std::string_view hash_name() const = 0;
    /// Client: make an ephemeral key pair and return Q_C.
    virtual Bytes client_keypair(Rng& rng) = 0;
    /// Server: from Q_C, make Q_S and K. nullopt if Q_C is invalid
    /// (wrong length, point not on curve, all-zero result — RFC 8731 §3;
    /// for DH: outside 1 < e < p-1, RFC 4253 §8).
    virtual std::optional<Encapsulation> server_encapsulate(ByteView client_public, Rng& rng) = 0;
    /// Client: from Q_S, compute K. nullopt if Q_S is invalid.
    virtual std::optional<SharedSecret> client_decapsulate(ByteView server_public) = 0;
};

/// Exchange hash H = HASH(prefix || mpint K) where prefix is everything
/// RFC 4253 §8 / RFC 5656 §4 puts before K, already encoded by the caller.
Bytes exchange_hash(std::string_view hash_name, ByteView prefix, const SharedSecret& k);

/// Plain digest ("SHA-256", "SHA-512", ...).
Bytes digest(std::string_view hash_name, ByteView data);

}  // namespace burrow::crypto
