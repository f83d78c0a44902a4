// ssh-ed25519 keys and signatures (RFC 8709) on Botan's Ed25519.
#include <botan/ed25519.h>
#include <botan/pubkey.h>

#include <algorithm>
#include <stdexcept>

#include "crypto/botan_rng.h"
#include "crypto/key_impl.h"
#include "crypto/wire_util.h"

namespace burrow::crypto {
namespace {

constexpr size_t ed25519_public_size = 32;
constexpr size_t ed25519_signature_size = 64;

class Ed25519PublicKey final : public PublicKey {
public:
    explicit Ed25519PublicKey(ByteView pub32) : m_key(pub32.data(), pub32.size())
    {
        // RFC 8709 §4: string "ssh-ed25519", string key (32 bytes).
        put_string(m_blob, ed25519_name);
        put_string(m_blob, pub32);
    }

    std::string_view key_type() const override { return ed25519_name; }
    const Bytes& blob() const override { return m_blob; }
    size_t bits() const override { return 256; }

    bool verify(std::string_view sig_alg, ByteView data, ByteView signature_blob) const override
    {
        if (sig_alg != ed25519_name) {
            return false;
        }
        const auto sig = parse_signature_blob(sig_alg, signature_blob);
        // RFC 8709 §6: the signature is exactly 64 bytes.
        if (!sig || sig->size() != ed25519_signature_size) {
            return false;
        }
        Botan::PK_Verifier verifier(m_key, "Pure");
        return verifier.verify_message(data.data(), data.size(), sig->data(), sig->size());
    }

private:
    Botan::Ed25519_PublicKey m_key;
    Bytes m_blob;
};

class Ed25519PrivateKey final : public PrivateKey {
public:
    explicit Ed25519PrivateKey(const Botan::secure_vector<uint8_t>& seed32)
        : m_key(seed32), m_public(m_key.get_public_key())
    {
    }

    std::string_view key_type() const override { return ed25519_name; }
    const PublicKey& public_key() const override { return m_public; }

    Bytes sign(std::string_view sig_alg, ByteView data, Rng& rng) const override
    {
        if (sig_alg != ed25519_name) {
            throw std::invalid_argument("ed25519: unsupported signature algorithm");
        }
        BotanRngAdapter botan_rng(rng);
        Botan::PK_Signer signer(m_key, botan_rng, "Pure");
        const std::vector<uint8_t> sig = signer.sign_message(data.data(), data.size(), botan_rng);
        // RFC 8709 §6: string "ssh-ed25519", string signature (64 bytes).
        Bytes out;
        put_string(out, ed25519_name);
        put_string(out, ByteView{sig.data(), sig.size()});
        return out;
    }

    void write_private_fields(Bytes& out) const override
    {
        // PROTOCOL.key: string public key (32), string seed || public (64).
        const auto& priv = m_key.get_private_key();
        const auto pub = m_key.get_public_key();
        put_string(out, ByteView{pub.data(), pub.size()});
        put_string(out, ByteView{priv.data(), priv.size()});
    }

private:
    Botan::Ed25519_PrivateKey m_key;
    Ed25519PublicKey m_public;
};

}  // namespace

std::unique_ptr<PrivateKey> make_ed25519_private_key(ByteView seed32)
{
    if (seed32.size() != 32) {
        return nullptr;
    }
    const Botan::secure_vector<uint8_t> seed(seed32.begin(), seed32.end());
    return std::make_unique<Ed25519PrivateKey>(seed);
}

std::unique_ptr<PrivateKey> generate_ed25519(Rng& rng)
{
    Botan::secure_vector<uint8_t> seed(32);
    rng.fill({seed.data(), seed.size()});
    return std::make_unique<Ed25519PrivateKey>(seed);
}

std::unique_ptr<PublicKey> parse_ed25519_public_blob(ByteView blob)
{
    WireReader r(blob);
    const auto type = r.string();
    if (!type || to_string(*type) != ed25519_name) {
        return nullptr;
    }
    const auto key = r.string();
    // Strict: exactly one 32-byte key and nothing after it.
    if (!key || key->size() != ed25519_public_size || !r.empty()) {
        return nullptr;
    }
    return std::make_unique<Ed25519PublicKey>(*key);
}

std::unique_ptr<PrivateKey> read_ed25519_private_fields(WireReader& r)
{
    // PROTOCOL.key: string public key (32), string seed || public key (64).
    const auto pub = r.string();
    const auto priv = pub ? r.string() : std::nullopt;
    if (!priv || pub->size() != ed25519_public_size || priv->size() != 2 * ed25519_public_size) {
        return nullptr;
    }
    auto key = make_ed25519_private_key(priv->first(ed25519_public_size));
    // The seed must reproduce both stored copies of the public key.
    const Bytes& blob = key->public_key().blob();
    if (!std::equal(pub->begin(), pub->end(), priv->begin() + ed25519_public_size) ||
        !std::equal(pub->begin(), pub->end(), blob.end() - ed25519_public_size)) {
        return nullptr;
    }
    return key;
}

}  // namespace burrow::crypto
