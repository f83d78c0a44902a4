// curve25519-sha256 and curve25519-sha256@libssh.org (RFC 8731): one ECDH
// code path, X25519 from RFC 7748 via Botan.
#include "crypto/curve25519_kex.h"
#include "crypto/key_agreement_kex.h"

#include <botan/curve25519.h>
#include <botan/secmem.h>

#include <array>
#include <string>

#include "crypto/secret_impl.h"

namespace burrow::crypto {
namespace {

constexpr size_t x25519_size = 32;

class Curve25519Kex final : public KeyAgreementKex {
public:
    explicit Curve25519Kex(std::string_view name) : m_name(name) {}

    std::string_view name() const override { return m_name; }
    PublicEncoding public_encoding() const override { return PublicEncoding::string; }
    // RFC 8731 §3: both names use SHA-256 for H and the KDF.
    std::string_view hash_name() const override { return "SHA-256"; }

private:
    bool has_keypair() const override { return !m_private.empty(); }
    bool valid_public(ByteView value) const override { return value.size() == x25519_size; }

    Bytes make_keypair(Rng& rng) override
    {
        // RFC 7748 §6.1: 32 random bytes; X25519 itself clamps the scalar.
        m_private.resize(x25519_size);
        rng.fill({m_private.data(), m_private.size()});
        Bytes pub(x25519_size);
        Botan::curve25519_basepoint(pub.data(), m_private.data());
        return pub;
    }

    std::optional<SharedSecret> agree(ByteView peer_public) const override
    {
        // RFC 8731 §3: public values that are not exactly 32 bytes are invalid.
        if (peer_public.size() != x25519_size) {
            return std::nullopt;
        }
        Botan::secure_vector<uint8_t> shared(x25519_size);
        Botan::curve25519_donna(shared.data(), m_private.data(), peer_public.data());
        // RFC 8731 §3 / RFC 7748 §6.1: an all-zero result means the peer sent
        // a low-order point; abort instead of using a predictable K.
        // Accumulate without branching on secret bytes.
        uint8_t acc = 0;
        for (const uint8_t b : shared) {
            acc = static_cast<uint8_t>(acc | b);
        }
        if (acc == 0) {
            return std::nullopt;
        }
        // RFC 8731 §3: the 32 output bytes are read as an unsigned big-endian
        // integer and encoded as an mpint.
        return shared_secret_from_unsigned({shared.data(), shared.size()});
    }

    std::string m_name;
    Botan::secure_vector<uint8_t> m_private;
};

}  // namespace

std::unique_ptr<KexMethod> make_curve25519_kex(std::string_view name)
{
    return std::make_unique<Curve25519Kex>(name);
}

}  // namespace burrow::crypto
