// ecdh-sha2-nistp256/384/521 (RFC 5656 §4, §6.2): ephemeral ECDH on the NIST
// prime curves through Botan, with the peer's point validated before use.
#include "crypto/ecdh_kex.h"
#include "crypto/key_agreement_kex.h"

#include <botan/bigint.h>
#include <botan/ec_group.h>
#include <botan/ecdh.h>
#include <botan/pubkey.h>

#include <optional>
#include <stdexcept>
#include <string>

#include "crypto/botan_rng.h"
#include "crypto/secret_impl.h"

namespace burrow::crypto {
namespace {

struct CurveInfo {
    std::string_view ssh_name;
    const char* botan_curve;
    std::string_view hash;
};

// RFC 5656 §6.2.1: the hash follows the curve size.
constexpr CurveInfo curves[] = {
    {"ecdh-sha2-nistp256", "secp256r1", "SHA-256"},
    {"ecdh-sha2-nistp384", "secp384r1", "SHA-384"},
    {"ecdh-sha2-nistp521", "secp521r1", "SHA-512"},
};

/// A private scalar d with 1 <= d < n, drawn from `rng` by rejection
/// sampling (each try reads ceil(bits(n)/8) bytes, excess top bits cleared),
/// so the scalar depends only on our Rng and a fixed Rng fixes the key.
Botan::BigInt random_scalar(Rng& rng, const Botan::BigInt& order)
{
    const size_t bits = order.bits();
    const size_t bytes = (bits + 7) / 8;
    Botan::secure_vector<uint8_t> buf(bytes);
    for (int attempt = 0; attempt < 256; ++attempt) {
        rng.fill({buf.data(), buf.size()});
        const size_t excess = bytes * 8 - bits;
        buf[0] = static_cast<uint8_t>(buf[0] & (0xFF >> excess));
        Botan::BigInt d = Botan::BigInt::decode(buf);
        if (d >= 1 && d < order) {
            return d;
        }
    }
    // Only a broken Rng gets here (2^-256 for a working one).
    throw std::runtime_error("ecdh: rng produced no usable scalar");
}

class EcdhKex final : public KeyAgreementKex {
public:
    explicit EcdhKex(const CurveInfo& info)
        : m_info(info), m_group(info.botan_curve), m_blinding_source(make_system_rng())
    {
    }

    std::string_view name() const override { return m_info.ssh_name; }
    PublicEncoding public_encoding() const override { return PublicEncoding::string; }
    std::string_view hash_name() const override { return m_info.hash; }

private:
    bool has_keypair() const override { return m_private != nullptr; }
    bool valid_public(ByteView value) const override { return valid_point(value); }

    Bytes make_keypair(Rng& rng) override
    {
        const Botan::BigInt d = random_scalar(rng, m_group.get_order());
        // Botan draws only point-blinding randomness here; it does not
        // change the result, so it comes from the system generator.
        BotanRngAdapter blinding(*m_blinding_source);
        m_private = std::make_unique<Botan::ECDH_PrivateKey>(blinding, m_group, d);
        // RFC 5656 §4: Q is an octet string, the SEC1 uncompressed point.
        const std::vector<uint8_t> pub = m_private->public_value();
        return Bytes(pub.begin(), pub.end());
    }

    /// RFC 5656 §4 / SEC1 3.2.2.1: an uncompressed point of the right length,
    /// coordinates in range, on the curve, and not the point at infinity.
    bool valid_point(ByteView encoded) const
    {
        const size_t coord = m_group.get_p_bytes();
        if (encoded.size() != 1 + 2 * coord || encoded[0] != 0x04) {
            return false;
        }
        try {
            const Botan::PointGFp point = m_group.OS2ECP(encoded.data(), encoded.size());
            // The NIST curves have cofactor 1, so any non-identity point on
            // the curve lies in the prime-order group.
            return !point.is_zero() && point.on_the_curve();
        } catch (const std::exception&) {
            return false;
        }
    }

    std::optional<SharedSecret> agree(ByteView peer_public) const override
    {
        if (!valid_point(peer_public)) {
            return std::nullopt;
        }
        try {
            BotanRngAdapter blinding(*m_blinding_source);
            const Botan::PK_Key_Agreement ka(*m_private, blinding, "Raw");
            // "Raw" yields the x-coordinate of d*Q, fixed-length big-endian.
            const Botan::SymmetricKey x = ka.derive_key(0, peer_public.data(), peer_public.size());
            const Botan::secure_vector<uint8_t> bytes = x.bits_of();
            // RFC 5656 §4: K is that x-coordinate read as an integer (mpint).
            return shared_secret_from_unsigned({bytes.data(), bytes.size()});
        } catch (const std::exception&) {
            return std::nullopt;
        }
    }

    const CurveInfo& m_info;
    Botan::EC_Group m_group;
    std::unique_ptr<Rng> m_blinding_source;
    std::unique_ptr<Botan::ECDH_PrivateKey> m_private;
};

}  // namespace

std::unique_ptr<KexMethod> make_ecdh_kex(std::string_view name)
{
    for (const auto& info : curves) {
        if (info.ssh_name == name) {
            return std::make_unique<EcdhKex>(info);
        }
    }
    return nullptr;
}

}  // namespace burrow::crypto
