// ssh-rsa keys (RFC 4253 §6.6) with rsa-sha2-512/256 (RFC 8332) and legacy
// SHA-1 ssh-rsa signatures, on Botan's RSA with EMSA-PKCS1-v1_5.
#include <botan/pubkey.h>
#include <botan/rsa.h>

#include <stdexcept>

#include "crypto/botan_rng.h"
#include "crypto/key_impl.h"
#include "crypto/mpint.h"

namespace burrow::crypto {
namespace {

constexpr size_t default_rsa_bits = 3072;
constexpr size_t max_rsa_bits = 16384;
constexpr uint32_t rsa_public_exponent = 65537;

/// RFC 8332 §3 / RFC 4253 §6.6: EMSA-PKCS1-v1_5 with the algorithm's hash;
/// nullptr for names that are not RSA signature algorithms.
const char* emsa_for(std::string_view sig_alg)
{
    if (sig_alg == "rsa-sha2-512") {
        return "EMSA3(SHA-512)";
    }
    if (sig_alg == "rsa-sha2-256") {
        return "EMSA3(SHA-256)";
    }
    if (sig_alg == rsa_name) {
        return "EMSA3(SHA-1)";
    }
    return nullptr;
}

/// Sizes and shapes we accept for an RSA public key: at least min_rsa_bits
/// (smaller moduli are factorable in practice), at most max_rsa_bits (bounds
/// the verification work), odd modulus, odd exponent of at least 3.
bool acceptable_public(const Botan::BigInt& n, const Botan::BigInt& e)
{
    return n.bits() >= min_rsa_bits && n.bits() <= max_rsa_bits && n.is_odd() && e.is_odd() &&
           e >= 3 && e < n;
}

Bytes make_blob(const Botan::BigInt& n, const Botan::BigInt& e)
{
    // RFC 4253 §6.6: string "ssh-rsa", mpint e, mpint n.
    Bytes blob;
    put_string(blob, rsa_name);
    put_mpint(blob, e);
    put_mpint(blob, n);
    return blob;
}

class RsaPublicKey final : public PublicKey {
public:
    RsaPublicKey(const Botan::BigInt& n, const Botan::BigInt& e)
        : m_key(n, e), m_blob(make_blob(n, e))
    {
    }

    std::string_view key_type() const override { return rsa_name; }
    const Bytes& blob() const override { return m_blob; }
    size_t bits() const override { return m_key.get_n().bits(); }

    bool verify(std::string_view sig_alg, ByteView data, ByteView signature_blob) const override
    {
        const char* emsa = emsa_for(sig_alg);
        // RFC 8332 §3: the blob names the algorithm used, which must be the
        // one negotiated; a rsa-sha2-256 signature is no rsa-sha2-512 one.
        const auto sig = emsa ? parse_signature_blob(sig_alg, signature_blob) : std::nullopt;
        // The signature is at most the modulus length (shorter is tolerated:
        // some signers drop leading zero bytes).
        if (!sig || sig->empty() || sig->size() > m_key.get_n().bytes()) {
            return false;
        }
        try {
            Botan::PK_Verifier verifier(m_key, emsa);
            return verifier.verify_message(data.data(), data.size(), sig->data(), sig->size());
        } catch (const Botan::Exception&) {
            return false;
        }
    }

private:
    Botan::RSA_PublicKey m_key;
    Bytes m_blob;
};

class RsaPrivateKey final : public PrivateKey {
public:
    explicit RsaPrivateKey(Botan::RSA_PrivateKey key)
        : m_key(std::move(key)), m_public(m_key.get_n(), m_key.get_e())
    {
    }

    std::string_view key_type() const override { return rsa_name; }
    const PublicKey& public_key() const override { return m_public; }

    Bytes sign(std::string_view sig_alg, ByteView data, Rng& rng) const override
    {
        const char* emsa = emsa_for(sig_alg);
        if (emsa == nullptr) {
            throw std::invalid_argument("rsa: unsupported signature algorithm");
        }
        BotanRngAdapter botan_rng(rng);
        Botan::PK_Signer signer(m_key, botan_rng, emsa);
        // Botan pads S to the modulus length, as RFC 8332 §3 asks.
        const std::vector<uint8_t> s = signer.sign_message(data.data(), data.size(), botan_rng);
        Bytes out;
        put_string(out, sig_alg);
        put_string(out, ByteView{s.data(), s.size()});
        return out;
    }

    void write_private_fields(Bytes& out) const override
    {
        // PROTOCOL.key / ssh-keygen: mpint n, e, d, iqmp (q^-1 mod p), p, q.
        put_mpint(out, m_key.get_n());
        put_mpint(out, m_key.get_e());
        put_mpint(out, m_key.get_d());
        put_mpint(out, m_key.get_c());
        put_mpint(out, m_key.get_p());
        put_mpint(out, m_key.get_q());
    }

private:
    Botan::RSA_PrivateKey m_key;
    RsaPublicKey m_public;
};

/// The private values are mutually consistent: n = pq, e*d = 1 modulo p-1
/// and q-1 (so modulo their lcm), iqmp = q^-1 mod p.
bool consistent_private(const Botan::BigInt& n, const Botan::BigInt& e, const Botan::BigInt& d,
                        const Botan::BigInt& iqmp, const Botan::BigInt& p, const Botan::BigInt& q)
{
    if (p < 3 || q < 3 || p * q != n || d < 1 || d >= n) {
        return false;
    }
    const Botan::BigInt ed = e * d;
    return ed % (p - 1) == 1 && ed % (q - 1) == 1 && iqmp < p && (iqmp * q) % p == 1;
}

}  // namespace

std::unique_ptr<PublicKey> parse_rsa_public_blob(ByteView blob)
{
    WireReader r(blob);
    const auto type = r.string();
    const auto e = type ? read_mpint(r) : std::nullopt;
    const auto n = e ? read_mpint(r) : std::nullopt;
    if (!n || !r.empty() || to_string(*type) != rsa_name || !acceptable_public(*n, *e)) {
        return nullptr;
    }
    auto key = std::make_unique<RsaPublicKey>(*n, *e);
    // Only the canonical encoding (minimal mpints) is accepted, so a key has
    // exactly one blob (known_hosts and authorized_keys compare blobs).
    const Bytes& canonical = key->blob();
    if (!std::equal(canonical.begin(), canonical.end(), blob.begin(), blob.end())) {
        return nullptr;
    }
    return key;
}

std::unique_ptr<PrivateKey> read_rsa_private_fields(WireReader& r)
{
    const auto n = read_mpint(r);
    const auto e = n ? read_mpint(r) : std::nullopt;
    const auto d = e ? read_mpint(r) : std::nullopt;
    const auto iqmp = d ? read_mpint(r) : std::nullopt;
    const auto p = iqmp ? read_mpint(r) : std::nullopt;
    const auto q = p ? read_mpint(r) : std::nullopt;
    if (!q || !acceptable_public(*n, *e) || !consistent_private(*n, *e, *d, *iqmp, *p, *q)) {
        return nullptr;
    }
    try {
        // BigInt keeps its words in secure memory: the copies here are wiped.
        return std::make_unique<RsaPrivateKey>(Botan::RSA_PrivateKey(*p, *q, *e, *d, *n));
    } catch (const Botan::Exception&) {
        return nullptr;
    }
}

bool rsa_private_fields_too_small(WireReader r)
{
    const auto n = read_mpint(r);
    return n && n->bits() < min_rsa_bits;
}

std::unique_ptr<PrivateKey> generate_rsa(size_t bits, Rng& rng)
{
    if (bits == 0) {
        bits = default_rsa_bits;
    }
    if (bits < min_rsa_bits || bits > max_rsa_bits) {
        return nullptr;
    }
    BotanRngAdapter botan_rng(rng);
    return std::make_unique<RsaPrivateKey>(
        Botan::RSA_PrivateKey(botan_rng, bits, rsa_public_exponent));
}

}  // namespace burrow::crypto
