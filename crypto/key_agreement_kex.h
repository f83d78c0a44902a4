// The one shape every key-agreement kex method shares (curve25519, ECDH,
// finite-field DH): validate the peer's public value, make an ephemeral key
// pair, agree on K. Subclasses supply only those three primitives.
#pragma once

#include <optional>

#include "crypto/kex_method.h"

namespace burrow::crypto {

class KeyAgreementKex : public KexMethod {
public:
    Bytes client_keypair(Rng& rng) final { return make_keypair(rng); }

    std::optional<Encapsulation> server_encapsulate(ByteView client_public, Rng& rng) final
    {
        // Validate before spending a key generation on garbage.
        if (!valid_public(client_public)) {
            return std::nullopt;
        }
        Bytes server_public = make_keypair(rng);
        auto secret = agree(client_public);
        if (!secret) {
            return std::nullopt;
        }
        return Encapsulation{std::move(server_public), std::move(*secret)};
    }

    std::optional<SharedSecret> client_decapsulate(ByteView server_public) final
    {
        if (!has_keypair() || !valid_public(server_public)) {
            return std::nullopt;
        }
        return agree(server_public);
    }

protected:
    /// Generate the ephemeral key pair; return our public value.
    virtual Bytes make_keypair(Rng& rng) = 0;
    virtual bool has_keypair() const = 0;
    /// Cheap structural check of a peer value (length, range, on the curve).
    virtual bool valid_public(ByteView peer_public) const = 0;
    /// K from the peer's value; nullopt if agreement fails (e.g. all-zero X25519).
    virtual std::optional<SharedSecret> agree(ByteView peer_public) const = 0;
};

}  // namespace burrow::crypto
