// ecdsa-sha2-nistp256/384/521 keys and signatures (RFC 5656) on Botan's ECDSA.
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/pubkey.h>

#include <algorithm>
#include <stdexcept>

#include "crypto/botan_rng.h"
#include "crypto/key_impl.h"
#include "crypto/mpint.h"

namespace burrow::crypto {
namespace {

/// One RFC 5656 curve: SSH names, Botan's name and the hash of §6.2.1.
struct Curve {
    std::string_view key_type;
    std::string_view identifier;  // RFC 5656 §6.1 [identifier]
    const char* botan_group;
    const char* emsa;
    size_t bits;
};

// RFC 5656 §6.2.1: the hash follows the curve size (SHA-256 up to 256 bits,
// SHA-384 up to 384, SHA-512 above). EMSA1 is Botan's plain ECDSA hashing.
constexpr Curve curves[] = {
    {ecdsa_nistp256_name, "nistp256", "secp256r1", "EMSA1(SHA-256)", 256},
    {ecdsa_nistp384_name, "nistp384", "secp384r1", "EMSA1(SHA-384)", 384},
    {ecdsa_nistp521_name, "nistp521", "secp521r1", "EMSA1(SHA-512)", 521},
};

const Curve* find_curve(std::string_view key_type)
{
    const auto it = std::find_if(std::begin(curves), std::end(curves),
                                 [&](const Curve& c) { return c.key_type == key_type; });
    return it == std::end(curves) ? nullptr : &*it;
}

/// Decode Q as RFC 5656 §3.1 requires it (SEC1 uncompressed point) and check it
/// lies on the curve; nullopt otherwise. An off-curve point is the classic
/// invalid-curve attack, so this must never be skipped.
std::optional<Botan::PointGFp> decode_point(const Botan::EC_Group& group, ByteView q)
{
    const size_t field_bytes = group.get_p_bytes();
    if (q.size() != 1 + 2 * field_bytes || q[0] != 0x04) {
        return std::nullopt;
    }
    try {
        Botan::PointGFp point = group.OS2ECP(q.data(), q.size());  // throws if off the curve
        // Coordinates must be reduced (< p): the re-encoding must match.
        const auto again = point.encode(Botan::PointGFp::UNCOMPRESSED);
        if (point.is_zero() || !std::equal(again.begin(), again.end(), q.begin(), q.end())) {
            return std::nullopt;
        }
        return point;
    } catch (const Botan::Exception&) {
        return std::nullopt;
    }
}

Bytes make_blob(const Curve& curve, const Botan::PointGFp& q)
{
    // RFC 5656 §3.1: string type, string identifier, string Q.
    const auto point = q.encode(Botan::PointGFp::UNCOMPRESSED);
    Bytes blob;
    put_string(blob, curve.key_type);
    put_string(blob, curve.identifier);
    put_string(blob, ByteView{point.data(), point.size()});
    return blob;
}

class EcdsaPublicKey final : public PublicKey {
public:
    EcdsaPublicKey(const Curve& curve, const Botan::EC_Group& group, const Botan::PointGFp& q)
        : m_curve(curve), m_key(group, q), m_blob(make_blob(curve, q))
    {
    }

    std::string_view key_type() const override { return m_curve.key_type; }
    const Bytes& blob() const override { return m_blob; }
    size_t bits() const override { return m_curve.bits; }

    bool verify(std::string_view sig_alg, ByteView data, ByteView signature_blob) const override
    {
        // RFC 5656 §3.1.2: the signature algorithm is the key type itself.
        if (sig_alg != m_curve.key_type) {
            return false;
        }
        const auto sig = parse_signature_blob(sig_alg, signature_blob);
        if (!sig) {
            return false;
        }
        // The signature is string(mpint r, mpint s), nothing else.
        WireReader r(*sig);
        const auto sig_r = read_mpint(r);
        const auto sig_s = read_mpint(r);
        const size_t n_bytes = m_key.domain().get_order_bytes();
        if (!sig_r || !sig_s || !r.empty() || sig_r->bytes() > n_bytes ||
            sig_s->bytes() > n_bytes) {
            return false;
        }
        // Botan wants r || s at the order's width; it checks 0 < r, s < n.
        Bytes rs(2 * n_bytes);
        sig_r->binary_encode(rs.data(), n_bytes);
        sig_s->binary_encode(rs.data() + n_bytes, n_bytes);
        try {
            Botan::PK_Verifier verifier(m_key, m_curve.emsa, Botan::IEEE_1363);
            return verifier.verify_message(data.data(), data.size(), rs.data(), rs.size());
        } catch (const Botan::Exception&) {
            return false;
        }
    }

private:
    const Curve& m_curve;
    Botan::ECDSA_PublicKey m_key;
    Bytes m_blob;
};

class EcdsaPrivateKey final : public PrivateKey {
public:
    EcdsaPrivateKey(const Curve& curve, Botan::ECDSA_PrivateKey key)
        : m_curve(curve),
          m_key(std::move(key)),
          m_public(curve, m_key.domain(), m_key.public_point())
    {
    }

    std::string_view key_type() const override { return m_curve.key_type; }
    const PublicKey& public_key() const override { return m_public; }

    Bytes sign(std::string_view sig_alg, ByteView data, Rng& rng) const override
    {
        if (sig_alg != m_curve.key_type) {
            throw std::invalid_argument("ecdsa: unsupported signature algorithm");
        }
        BotanRngAdapter botan_rng(rng);
        Botan::PK_Signer signer(m_key, botan_rng, m_curve.emsa, Botan::IEEE_1363);
        const std::vector<uint8_t> rs = signer.sign_message(data.data(), data.size(), botan_rng);
        const size_t half = rs.size() / 2;
        // RFC 5656 §3.1.2: string alg, string (mpint r, mpint s).
        Bytes inner;
        put_mpint(inner, Botan::BigInt(rs.data(), half));
        put_mpint(inner, Botan::BigInt(rs.data() + half, half));
        Bytes out;
        put_string(out, m_curve.key_type);
        put_string(out, ByteView{inner});
        return out;
    }

    void write_private_fields(Bytes& out) const override
    {
        // PROTOCOL.key / ssh-keygen: string identifier, string Q, mpint d.
        const auto q = m_key.public_point().encode(Botan::PointGFp::UNCOMPRESSED);
        put_string(out, m_curve.identifier);
        put_string(out, ByteView{q.data(), q.size()});
        put_mpint(out, m_key.private_value());
    }

private:
    const Curve& m_curve;
    Botan::ECDSA_PrivateKey m_key;
    EcdsaPublicKey m_public;
};

}  // namespace

bool is_ecdsa_key_type(std::string_view key_type)
{
    return find_curve(key_type) != nullptr;
}

std::unique_ptr<PublicKey> parse_ecdsa_public_blob(ByteView blob)
{
    WireReader r(blob);
    const auto type = r.string();
    const Curve* curve = type ? find_curve(to_string(*type)) : nullptr;
    const auto identifier = curve ? r.string() : std::nullopt;
    const auto q = identifier ? r.string() : std::nullopt;
    // RFC 5656 §3.1: the identifier must name the same curve as the type.
    if (!q || !r.empty() || to_string(*identifier) != curve->identifier) {
        return nullptr;
    }
    const Botan::EC_Group group(curve->botan_group);
    const auto point = decode_point(group, *q);
    if (!point) {
        return nullptr;
    }
    return std::make_unique<EcdsaPublicKey>(*curve, group, *point);
}

std::unique_ptr<PrivateKey> read_ecdsa_private_fields(std::string_view key_type, WireReader& r)
{
    const Curve* curve = find_curve(key_type);
    const auto identifier = curve ? r.string() : std::nullopt;
    const auto q = identifier ? r.string() : std::nullopt;
    const auto d = q ? read_mpint(r) : std::nullopt;
    if (!d || to_string(*identifier) != curve->identifier) {
        return nullptr;
    }
    const Botan::EC_Group group(curve->botan_group);
    const auto point = decode_point(group, *q);
    if (!point || *d < 1 || *d >= group.get_order()) {
        return nullptr;
    }
    // Botan blinds the d*G computation, which needs randomness.
    const auto system_rng = make_system_rng();
    BotanRngAdapter botan_rng(*system_rng);
    Botan::ECDSA_PrivateKey key(botan_rng, group, *d);
    // The stored public point must be the one d derives.
    if (key.public_point() != *point) {
        return nullptr;
    }
    return std::make_unique<EcdsaPrivateKey>(*curve, std::move(key));
}

std::unique_ptr<PrivateKey> generate_ecdsa(std::string_view key_type, Rng& rng)
{
    const Curve* curve = find_curve(key_type);
    if (curve == nullptr) {
        return nullptr;
    }
    BotanRngAdapter botan_rng(rng);
    Botan::ECDSA_PrivateKey key(botan_rng, Botan::EC_Group(curve->botan_group));
    return std::make_unique<EcdsaPrivateKey>(*curve, std::move(key));
}

}  // namespace burrow::crypto
